"""`/cop ask` and the "Mark answered" button."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.communities.lifecycle import Refused
from bot.communities.permissions import Audience, may_mark_answered
from bot.knowledge.blocks import ANSWERED_ACTION
from bot.knowledge.questions import ask_question, mark_answered, question_by_id
from handlers.middleware import unit_of_work
from handlers.services import Services
from handlers.subcommands import CommandCall, Reply, Subcommands
from handlers.views import number, tell

subcommands = Subcommands()


def register(bolt: App, services: Services) -> None:
    """Listen for Mark answered."""

    @bolt.action(ANSWERED_ACTION)
    def handle_mark_answered(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        user_id = body["user"]["id"]
        services.people.lookup(user_id)
        with unit_of_work(services, context) as session:
            assert session is not None
            question = question_by_id(session, number(action.get("value")))
            if question is None:
                message = "That question no longer exists."
            elif not may_mark_answered(
                session,
                services.people,
                user_id=user_id,
                community_id=question.community_id,
                asked_by=question.asked_by,
            ):
                message = "Only the person who asked, or a coordinator, can mark it answered."
            else:
                result = mark_answered(session, question, by=user_id, now=services.clock.now())
                message = (
                    "Marked answered — thank you!"
                    if result.marked
                    else f"<@{result.answered_by}> already marked it answered."
                )
        tell(services, body, message)


@subcommands.add(
    "ask", "NAME QUESTION…", "ask the community a question", Audience.MEMBER, required=2, names_community=True
)
def ask(call: CommandCall) -> Reply:
    """`/cop ask NAME QUESTION…`: posted in the community channel."""
    community = call.the_community
    try:
        ask_question(call.session, community, user_id=call.user_id, text=call.rest, now=call.services.clock.now())
    except Refused as refused:
        return Reply.refusal(str(refused))
    return Reply(
        text=(
            f"Your question is on its way to <#{community.channel_id}>. Replies in its thread are counted; "
            f"press *Mark answered* there when you have what you need."
        )
    )
