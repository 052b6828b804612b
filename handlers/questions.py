"""`/cop ask` and the "Mark answered" button."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond

from bot.communities.lifecycle import Refused
from bot.knowledge.blocks import ANSWERED_ACTION
from bot.knowledge.questions import ask_question, mark_answered, may_mark_answered
from bot.replies import Reply
from handlers.commands import CommandCall
from handlers.middleware import unit_of_work
from storage.models import Question

if TYPE_CHECKING:
    from bot.app import Copbot


def register(copbot: Copbot) -> None:
    """Route `ask` and listen for Mark answered."""
    copbot.command_routes["ask"] = ask

    @copbot.bolt.action(ANSWERED_ACTION)
    def handle_mark_answered(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
    ) -> None:
        ack()
        user_id = body["user"]["id"]
        copbot.people.lookup(user_id)
        with unit_of_work(context) as session:
            assert session is not None
            question = session.get(Question, int(action.get("value") or 0))
            if question is None:
                message = "That question no longer exists."
            elif not (may_mark_answered(session, question, user_id) or copbot.people.is_admin(user_id)):
                message = "Only the person who asked, or a coordinator, can mark it answered."
            else:
                result = mark_answered(session, question, by=user_id, now=copbot.clock.now())
                message = (
                    "Marked answered — thank you!"
                    if result.marked
                    else f"<@{result.answered_by}> already marked it answered."
                )
        if body.get("response_url"):
            respond(text=message, response_type="ephemeral", replace_original=False)


def ask(call: CommandCall) -> Reply:
    """`/cop ask NAME QUESTION…`: posted in the community channel."""
    assert call.community is not None
    try:
        ask_question(call.session, call.community, user_id=call.user_id, text=call.rest, now=call.copbot.clock.now())
    except Refused as refused:
        return Reply.refusal(str(refused))
    return Reply(
        text=(
            f"Posted your question in <#{call.community.channel_id}>. Replies in its thread are counted; "
            f"press *Mark answered* there when you have what you need."
        )
    )
