"""Joining by channel, workspace newcomers, and the welcome buttons: claim, introduce yourself, set expertise."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond

from bot.communities.lifecycle import live_communities
from bot.communities.lookup import community_for_channel, roles_of
from bot.delivery.outbox import post_message
from bot.knowledge.expertise import expertise_of, keyword_problem, parse_keywords, set_expertise
from bot.slack.markup import escape
from bot.welcome.blocks import (
    CLAIM_ACTION,
    EXPERTISE_ACTION,
    EXPERTISE_CALLBACK,
    INTRODUCE_ACTION,
    INTRODUCTION_CALLBACK,
    build_expertise_modal,
    build_introduce_modal,
)
from bot.welcome.flow import WelcomeGone, claim_welcome, greet_workspace_joiner, post_introduction
from bot.welcome.membership import join_community, leave_community
from handlers.middleware import unit_of_work
from handlers.views import input_text, open_view
from storage.models import Community, Role

if TYPE_CHECKING:
    from bot.app import Copbot


def register(copbot: Copbot) -> None:
    """Listen for channel joins and leaves, team joins, and the welcome buttons and modals."""
    bolt = copbot.bolt

    @bolt.event("member_joined_channel")
    def handle_member_joined_channel(event: dict[str, Any], context: BoltContext) -> None:
        user_id = event.get("user", "")
        if user_id == context.bot_user_id or not copbot.people.is_human(user_id):
            return
        with unit_of_work(context) as session:
            if session is None:
                return
            community = community_for_channel(session, event.get("channel", ""))
            if community is not None:
                join_community(
                    session,
                    community,
                    user_id=user_id,
                    source="channel",
                    now=copbot.clock.now(),
                    command=copbot.settings.command,
                )

    @bolt.event("member_left_channel")
    def handle_member_left_channel(event: dict[str, Any], context: BoltContext) -> None:
        with unit_of_work(context) as session:
            if session is None:
                return
            community = community_for_channel(session, event.get("channel", ""))
            if community is not None:
                leave_community(session, community, user_id=event.get("user", ""), now=copbot.clock.now())

    @bolt.event("team_join")
    def handle_team_join(event: dict[str, Any], context: BoltContext) -> None:
        user = event.get("user") or {}
        if (
            not copbot.settings.greet_workspace_joiners
            or user.get("is_bot")
            or user.get("deleted")
            or not user.get("id")
        ):
            return
        with unit_of_work(context) as session:
            if session is None:
                return
            greet_workspace_joiner(
                session,
                user_id=user["id"],
                communities=live_communities(session),
                now=copbot.clock.now(),
                command=copbot.settings.command,
            )

    @bolt.action(CLAIM_ACTION)
    def handle_claim(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
    ) -> None:
        ack()
        claimer = body["user"]["id"]
        copbot.people.lookup(claimer)  # warm the cache outside the transaction
        with unit_of_work(context) as session:
            assert session is not None
            try:
                result = claim_welcome(
                    session, alert_id=int(action.get("value") or 0), claimer=claimer, now=copbot.clock.now()
                )
            except WelcomeGone:
                message = "That newcomer's welcome no longer exists."
            else:
                if not _may_welcome(copbot, session, claimer, result.community):
                    session.rollback()
                    message = (
                        f"Only member support and coordinators of *{escape(result.community.name)}* can claim welcomes."
                    )
                elif result.won:
                    message = f"Thank you! <@{result.newcomer}> is yours to welcome — a DM or a hello in <#{result.community.channel_id}>."
                elif result.claimed_by == claimer:
                    message = f"You already said you'd welcome <@{result.newcomer}>."
                else:
                    message = f"<@{result.claimed_by}> is already welcoming <@{result.newcomer}> — thanks anyway!"
        if body.get("response_url"):
            respond(text=message, response_type="ephemeral", replace_original=False)

    @bolt.action(INTRODUCE_ACTION)
    def handle_introduce_button(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        with copbot.sessions() as session:
            community = session.get(Community, int(action.get("value") or 0))
        if community is not None and community.archived_at is None:
            open_view(copbot, body.get("trigger_id"), build_introduce_modal(community))
        elif body.get("response_url"):
            respond(text="That community has been archived.", response_type="ephemeral", replace_original=False)

    @bolt.view(INTRODUCTION_CALLBACK)
    def handle_introduction(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        text = input_text(view, "introduction")
        if not text:
            ack(response_action="errors", errors={"introduction": "Write a line or two about yourself."})
            return
        with unit_of_work(context) as session:
            assert session is not None
            community = session.get(Community, int(view.get("private_metadata") or 0))
            if community is None or community.archived_at is not None:
                ack(response_action="errors", errors={"introduction": "This community has been archived."})
                return
            post_introduction(session, community, user_id=body["user"]["id"], text=text, now=copbot.clock.now())
        ack()

    @bolt.action(EXPERTISE_ACTION)
    def handle_expertise_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        user_id = body["user"]["id"]
        with copbot.sessions() as session:
            keywords = expertise_of(session, [user_id])[user_id]
        open_view(copbot, body.get("trigger_id"), build_expertise_modal(keywords))

    @bolt.view(EXPERTISE_CALLBACK)
    def handle_expertise(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        raw = input_text(view, "expertise")
        keywords = parse_keywords(raw)
        problem = keyword_problem(keywords)
        if problem:
            ack(response_action="errors", errors={"expertise": problem})
            return
        user_id = body["user"]["id"]
        now = copbot.clock.now()
        with unit_of_work(context) as session:
            assert session is not None
            set_expertise(session, user_id=user_id, keywords=keywords, now=now)
            shown = escape(", ".join(keywords)) if keywords else "nothing (cleared)"
            post_message(
                session,
                channel=user_id,
                text=f"Saved. Your expertise: {shown}. Change it any time with `{copbot.settings.command} profile`.",
                kind="expertise_saved",
                now=now,
            )
        ack()


def _may_welcome(copbot: Copbot, session: Any, user_id: str, community: Community) -> bool:
    roles = roles_of(session, user_id, community.id)
    return bool(roles & {Role.SUPPORT, Role.COORDINATOR}) or copbot.people.is_admin(user_id)
