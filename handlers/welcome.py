"""Joining by channel, workspace newcomers, and the welcome buttons: claim, introduce yourself, set expertise."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.communities.lifecycle import Refused
from bot.communities.lookup import community_by_id, community_for_channel
from bot.communities.permissions import may_support_members
from bot.knowledge.expertise import (
    confirm_expertise_by_dm,
    expertise_of,
    keyword_problem,
    parse_keywords,
    set_expertise,
)
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
from bot.welcome.flow import (
    claim_welcome,
    end_membership,
    greet_workspace_joiner,
    introduction_refusal,
    join_community,
    person_deactivated,
    post_introduction,
    welcome_by_id,
)
from handlers.middleware import unit_of_work
from handlers.services import Services
from handlers.views import input_text, number, open_form, private_id, tell


def register(bolt: App, services: Services) -> None:
    """Listen for channel joins and leaves, team joins, and the welcome buttons and modals."""

    @bolt.event("member_joined_channel")
    def handle_member_joined_channel(event: dict[str, Any], context: BoltContext) -> None:
        user_id = event.get("user", "")
        if user_id == context.bot_user_id or not services.people.is_human(user_id):
            return
        with unit_of_work(services, context) as session:
            if session is None:
                return
            community = community_for_channel(session, event.get("channel", ""))
            if community is not None:
                join_community(
                    session,
                    community,
                    user_id=user_id,
                    source="channel",
                    now=services.clock.now(),
                    command=services.command,
                    zone=services.zone,
                )

    @bolt.event("member_left_channel")
    def handle_member_left_channel(event: dict[str, Any], context: BoltContext) -> None:
        with unit_of_work(services, context) as session:
            if session is None:
                return
            community = community_for_channel(session, event.get("channel", ""))
            if community is not None:
                end_membership(session, community, user_id=event.get("user", ""), now=services.clock.now())

    @bolt.event("user_change")
    def handle_user_change(event: dict[str, Any], context: BoltContext) -> None:
        user = event.get("user") or {}
        if not isinstance(user, dict) or not user.get("id"):
            return
        services.people.forget(user["id"])  # what Slack says now beats what it said ten minutes ago
        if not user.get("deleted"):
            return
        with unit_of_work(services, context) as session:
            if session is None:
                return
            person_deactivated(session, user["id"], now=services.clock.now(), command=services.command)

    @bolt.event("team_join")
    def handle_team_join(event: dict[str, Any], context: BoltContext) -> None:
        user = event.get("user") or {}
        if not services.greet_workspace_joiners or user.get("is_bot") or user.get("deleted") or not user.get("id"):
            return
        with unit_of_work(services, context) as session:
            if session is None:
                return
            greet_workspace_joiner(session, user_id=user["id"], now=services.clock.now(), command=services.command)

    @bolt.action(CLAIM_ACTION)
    def handle_claim(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        claimer = body["user"]["id"]
        services.people.lookup(claimer)  # warm the cache outside the transaction
        with unit_of_work(services, context) as session:
            assert session is not None
            alert = welcome_by_id(session, number(action.get("value")))
            community = community_by_id(session, alert.community_id) if alert else None
            if alert is None or community is None:
                message = "That newcomer's welcome no longer exists."
            elif not may_support_members(session, services.people, user_id=claimer, community_id=community.id):
                message = f"Only member support and coordinators of *{escape(community.name)}* can claim welcomes."
            else:
                result = claim_welcome(session, alert_id=alert.id, claimer=claimer, now=services.clock.now())
                if result.won:
                    message = f"Thank you! <@{result.newcomer}> is yours to welcome — a DM or a hello in <#{community.channel_id}>."
                elif result.claimed_by == claimer:
                    message = f"You already said you'd welcome <@{result.newcomer}>."
                else:
                    message = f"<@{result.claimed_by}> is already welcoming <@{result.newcomer}> — thanks anyway!"
        tell(services, body, message)

    @bolt.action(INTRODUCE_ACTION)
    def handle_introduce_button(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        with services.reads() as session:
            community = community_by_id(session, number(action.get("value")))
            refusal = (
                introduction_refusal(session, community, user_id=body["user"]["id"])
                if community is not None
                else "That community no longer exists."
            )
        if refusal is not None or community is None:
            tell(services, body, refusal or "")
        else:
            open_form(services, body, build_introduce_modal(community))

    @bolt.view(INTRODUCTION_CALLBACK)
    def handle_introduction(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        text = input_text(view, "introduction")
        if not text:
            ack(response_action="errors", errors={"introduction": "Write a line or two about yourself."})
            return
        with unit_of_work(services, context) as session:
            if session is None:  # this form was submitted and stored already
                ack()
                return
            community = community_by_id(session, private_id(view))
            if community is None:
                ack(response_action="errors", errors={"introduction": "That community no longer exists."})
                return
            try:
                post_introduction(session, community, user_id=body["user"]["id"], text=text, now=services.clock.now())
            except Refused as refused:
                session.rollback()
                ack(response_action="errors", errors={"introduction": str(refused)})
                return
        ack()

    @bolt.action(EXPERTISE_ACTION)
    def handle_expertise_button(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user_id = body["user"]["id"]
        with services.reads() as session:
            keywords = expertise_of(session, [user_id])[user_id]
        open_form(services, body, build_expertise_modal(keywords, command=services.command))

    @bolt.view(EXPERTISE_CALLBACK)
    def handle_expertise(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        keywords = parse_keywords(input_text(view, "expertise"))
        problem = keyword_problem(keywords)
        if problem:
            ack(response_action="errors", errors={"expertise": problem})
            return
        user_id = body["user"]["id"]
        now = services.clock.now()
        with unit_of_work(services, context) as session:
            if session is None:  # this form was submitted and stored already
                ack()
                return
            set_expertise(session, user_id=user_id, keywords=keywords, now=now)
            confirm_expertise_by_dm(session, user_id=user_id, keywords=keywords, now=now, command=services.command)
        ack()
