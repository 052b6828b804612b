"""Joining, leaving and the welcome flow: the newcomer's DM, volunteers' alerts with a claim button,
claiming, and raising welcomes nobody claimed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.communities.lifecycle import Refused
from bot.communities.lookup import live_communities, lock_community
from bot.communities.membership import JoinResult, active_membership, add_membership, leave_community
from bot.communities.roles import ROLE_TITLES, role_holders, support_or_coordinators
from bot.delivery.outbox import post_message
from bot.delivery.tracked import Rendering, send_tracked, update_tracked
from bot.knowledge.resources import pinned_resources
from bot.rhythms.calendar import next_discussion
from bot.rhythms.checkins import withdraw_checkins
from bot.slack.markup import escape
from bot.welcome.blocks import (
    build_claimed_alert,
    build_escalation,
    build_introduction,
    build_welcome_alert,
    build_welcome_dm,
    build_workspace_greeting,
)
from storage.db import set_once
from storage.models import Community, Membership, Role, RoleAssignment, WelcomeAlert

UNCLAIMED_AFTER = timedelta(hours=24)
TOPIC = "welcome"  # tracked messages: a welcome's alerts and reminders, updated once someone claims


class WelcomeGone(Exception):
    """The welcome a button refers to no longer exists."""


@dataclass(frozen=True)
class ClaimResult:
    """Who has the welcome now, and whether this claim won it."""

    won: bool
    claimed_by: str
    newcomer: str
    community: Community
    seconds_to_claim: int | None


def join_community(
    session: Session, community: Community, *, user_id: str, source: str, now: datetime, command: str, zone: ZoneInfo
) -> JoinResult:
    """Make the person a member (once, however many times or ways they join) and start their welcome.

    `zone` is COPBOT_TIMEZONE, for the next discussion's schedule when the community has not set its own.
    """
    result = add_membership(session, community, user_id=user_id, source=source, now=now)
    if result.joined:
        start_welcome(session, community, result.membership, now=now, command=command, zone=zone)
    return result


def end_membership(session: Session, community: Community, *, user_id: str, now: datetime) -> bool:
    """End the person's membership (False when they were not a member); the check-ins still waiting to
    reach them are withdrawn."""
    if not leave_community(session, community, user_id=user_id, now=now):
        return False
    withdraw_checkins(session, community, user_id=user_id)
    return True


def person_deactivated(session: Session, user_id: str, *, now: datetime, command: str) -> int:
    """Someone was deactivated in Slack: their memberships end and their roles with them, so no alert,
    welcome or digest is routed to them any more. Each community where they held a role hears which
    role is open: its coordinators, or its channel when they were its last coordinator. How many
    communities they were in."""
    held: dict[int, list[str]] = {}
    for assignment in session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == user_id)):
        held.setdefault(assignment.community_id, []).append(assignment.role)
    memberships = session.scalars(
        select(Membership).where(Membership.user_id == user_id, Membership.left_at.is_(None))
    ).all()
    for membership in memberships:
        end_membership(session, membership.community, user_id=user_id, now=now)
    for community_id, roles in held.items():
        community = session.get(Community, community_id)
        assert community is not None
        lock_community(session, community)
        session.execute(
            delete(RoleAssignment).where(RoleAssignment.community_id == community_id, RoleAssignment.user_id == user_id)
        )
        _tell_role_is_open(session, community, user_id=user_id, roles=roles, now=now, command=command)
    return len({m.community_id for m in memberships} | set(held))


def _tell_role_is_open(
    session: Session, community: Community, *, user_id: str, roles: list[str], now: datetime, command: str
) -> None:
    if community.archived_at is not None:
        return
    titles = " and ".join(ROLE_TITLES[Role(role)] for role in roles)
    how = f"`{command} role {community.name} @person ROLE` names someone else."
    coordinators = role_holders(session, community.id, Role.COORDINATOR)
    text = f"<@{user_id}> was deactivated in Slack, so they are no longer {titles} of *{escape(community.name)}*. {how}"
    for coordinator in coordinators:
        post_message(
            session,
            channel=coordinator,
            text=text,
            kind="role_holder_deactivated",
            now=now,
            dedupe_key=f"deactivated:{user_id}:{community.id}:{coordinator}",
        )
    if not coordinators:
        post_message(
            session,
            channel=community.channel_id,
            text=f"{text} *{escape(community.name)}* has no coordinator now: a workspace admin can name one.",
            kind="role_holder_deactivated",
            now=now,
            dedupe_key=f"deactivated:{user_id}:{community.id}",
        )


def start_welcome(
    session: Session, community: Community, membership: Membership, *, now: datetime, command: str, zone: ZoneInfo
) -> WelcomeAlert:
    """Queue the newcomer's DM and an alert to each welcomer, recorded for claiming and reminders."""
    newcomer = membership.user_id
    post_message(
        session,
        channel=newcomer,
        text=f"Welcome to {escape(community.name)}! {escape(community.purpose)}",
        blocks=build_welcome_dm(
            community,
            newcomer=newcomer,
            coordinators=list(role_holders(session, community.id, Role.COORDINATOR)),
            support=list(role_holders(session, community.id, Role.SUPPORT)),
            pinned=pinned_resources(session, community),
            next_discussion=next_discussion(session, community, zone=zone, now=now),
            command=command,
        ),
        kind="welcome_dm",
        now=now,
        dedupe_key=f"welcome-dm:{membership.id}",
    )
    alert = WelcomeAlert(membership_id=membership.id, community_id=community.id, newcomer_id=newcomer, created_at=now)
    session.add(alert)
    session.flush()
    for volunteer in support_or_coordinators(session, community):
        if volunteer == newcomer:
            continue
        send_tracked(
            session,
            topic=TOPIC,
            subject_id=alert.id,
            recipient=volunteer,
            rendering=Rendering(
                text=f"<@{newcomer}> just joined {escape(community.name)}. Could you welcome them?",
                blocks=build_welcome_alert(community, newcomer=newcomer, alert_id=alert.id),
            ),
            kind="welcome_alert",
            now=now,
            dedupe_key=f"welcome-alert:{alert.id}:{volunteer}",
        )
    return alert


def welcome_by_id(session: Session, alert_id: int) -> WelcomeAlert | None:
    """The welcome with that id."""
    return session.get(WelcomeAlert, alert_id)


def claim_welcome(session: Session, *, alert_id: int, claimer: str, now: datetime) -> ClaimResult:
    """First claim wins (atomically); every alert about the newcomer is updated to say who claimed.

    The caller has checked that the claimer may (`may_support_members`).
    """
    alert = session.get(WelcomeAlert, alert_id)
    if alert is None:
        raise WelcomeGone
    community = session.get(Community, alert.community_id)
    assert community is not None
    won = set_once(
        session,
        WelcomeAlert,
        WelcomeAlert.id == alert_id,
        WelcomeAlert.claimed_by.is_(None),
        claimed_by=claimer,
        claimed_at=now,
    )
    session.refresh(alert)
    claimed_by = alert.claimed_by
    assert claimed_by is not None
    if won:
        update_tracked(
            session,
            topic=TOPIC,
            subject_id=alert.id,
            render=lambda viewer: Rendering(
                text=f"<@{claimed_by}> is welcoming <@{alert.newcomer_id}>.",
                blocks=build_claimed_alert(community, newcomer=alert.newcomer_id, claimer=claimed_by, viewer=viewer),
            ),
            kind="welcome_alert_update",
            now=now,
        )
    return ClaimResult(
        won=won,
        claimed_by=claimed_by,
        newcomer=alert.newcomer_id,
        community=community,
        seconds_to_claim=seconds_to_claim(alert),
    )


def seconds_to_claim(alert: WelcomeAlert) -> int | None:
    """Join-to-claim time, the community-health figure the digest reports."""
    if alert.claimed_at is None:
        return None
    return int((alert.claimed_at - alert.created_at).total_seconds())


def unclaimed_welcomes_due(session: Session, now: datetime) -> list[tuple[WelcomeAlert, Community]]:
    """Welcomes unclaimed for 24 h, not yet raised, whose newcomer is still a member."""
    rows = session.execute(
        select(WelcomeAlert, Community)
        .join(Community, Community.id == WelcomeAlert.community_id)
        .join(Membership, Membership.id == WelcomeAlert.membership_id)
        .where(
            WelcomeAlert.claimed_at.is_(None),
            WelcomeAlert.escalated_at.is_(None),
            WelcomeAlert.created_at <= now - UNCLAIMED_AFTER,
            Membership.left_at.is_(None),
            Community.archived_at.is_(None),
        )
        .order_by(WelcomeAlert.id)
    ).all()
    return [(alert, community) for alert, community in rows]


def escalate_unclaimed_welcomes(session: Session, now: datetime) -> int:
    """DM the coordinators about each newcomer nobody claimed, once; returns how many were raised."""
    raised = 0
    for alert, community in unclaimed_welcomes_due(session, now):
        for coordinator in role_holders(session, community.id, Role.COORDINATOR):
            send_tracked(
                session,
                topic=TOPIC,
                subject_id=alert.id,
                recipient=coordinator,
                rendering=Rendering(
                    text=f"Nobody has welcomed <@{alert.newcomer_id}> to {escape(community.name)} yet.",
                    blocks=build_escalation(
                        community, newcomer=alert.newcomer_id, alert_id=alert.id, joined_at=alert.created_at, now=now
                    ),
                ),
                kind="welcome_escalation",
                now=now,
                dedupe_key=f"welcome-escalation:{alert.id}:{coordinator}",
            )
        alert.escalated_at = now
        raised += 1
    return raised


def greet_workspace_joiner(session: Session, *, user_id: str, now: datetime, command: str) -> bool:
    """One DM to a new workspace member listing communities with Join buttons; False when there are none."""
    communities = live_communities(session)
    if not communities:
        return False
    post_message(
        session,
        channel=user_id,
        text="Welcome! Here are the communities of practice you can join.",
        blocks=build_workspace_greeting(communities, command=command),
        kind="workspace_greeting",
        now=now,
        dedupe_key=f"workspace-greeting:{user_id}",
    )
    return True


def introduction_refusal(session: Session, community: Community, *, user_id: str) -> str | None:
    """Why this person cannot introduce themselves in the community now, or None."""
    if community.archived_at is not None:
        return f"{escape(community.name)} has been archived."
    membership = active_membership(session, community, user_id)
    if membership is None:
        return f"Only members of {escape(community.name)} can introduce themselves there. Join it first."
    if membership.introduced_at is not None:
        return f"You have already introduced yourself in {escape(community.name)} — say more in the channel!"
    return None


def post_introduction(session: Session, community: Community, *, user_id: str, text: str, now: datetime) -> None:
    """Post a member's introduction in the community channel, once per membership; Refused otherwise."""
    refusal = introduction_refusal(session, community, user_id=user_id)
    if refusal is not None:
        raise Refused(refusal)
    membership = active_membership(session, community, user_id)
    assert membership is not None
    if not set_once(
        session, Membership, Membership.id == membership.id, Membership.introduced_at.is_(None), introduced_at=now
    ):
        raise Refused(f"You have already introduced yourself in {escape(community.name)} — say more in the channel!")
    post_message(
        session,
        channel=community.channel_id,
        text=f"<@{user_id}> introduces themselves to {escape(community.name)}",
        blocks=build_introduction(community, user_id=user_id, text=text),
        kind="introduction",
        now=now,
        on_behalf_of=user_id,
        describes=f"your introduction in <#{community.channel_id}>",
    )
