"""Engagement check-ins: a DM to every member on the check-in schedule, answered with one click.

*Could use help* alerts member support (the coordinators when there is none) with a claim button,
once per check-in however often the member changes their mind; *Snooze 2 weeks* skips the member
for 14 days. Answers are kept per member and round for the digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.communities.membership import active_membership
from bot.communities.roles import role_holders, support_or_coordinators
from bot.delivery.tracked import Rendering, send_tracked, update_tracked, withdraw_tracked
from bot.rhythms.blocks import ANSWERS, build_checkin_dm, build_help_alert, build_help_claimed
from bot.slack.markup import escape
from schedules.spec import CommunityOccasion
from storage.db import set_once
from storage.models import CheckIn, Community, Membership, Role

SNOOZE = timedelta(days=14)
CHECKIN_TOPIC = "checkin"  # tracked messages: a member's check-in DM(s) of one round
HELP_TOPIC = "checkin_help"  # tracked messages: support's alerts about one member who could use help


class CheckInRefused(Exception):
    """A click on a check-in that cannot count; the message says why."""


@dataclass(frozen=True)
class HelpClaim:
    """Who reaches out to the member now, and whether this click won it."""

    won: bool
    claimed_by: str
    member: str
    community: Community


def send_checkins(session: Session, community: Community, occasion: CommunityOccasion) -> str:
    """The check-in job: a DM to every member not snoozed, in their working hours (or now, when forced)."""
    members = session.scalars(
        select(Membership.user_id)
        .where(
            Membership.community_id == community.id,
            Membership.left_at.is_(None),
            or_(Membership.checkin_snoozed_until.is_(None), Membership.checkin_snoozed_until <= occasion.now),
        )
        .order_by(Membership.joined_at, Membership.id)
    ).all()
    existing = {
        checkin.user_id: checkin
        for checkin in session.scalars(
            select(CheckIn).where(CheckIn.community_id == community.id, CheckIn.period == occasion.period)
        )
    }
    sent = 0
    for user_id in members:
        checkin = existing.get(user_id)
        if checkin is not None and (checkin.answer is not None or not occasion.forced):
            continue  # a forced re-run reminds those who have not answered yet
        if checkin is None:
            checkin = CheckIn(community_id=community.id, user_id=user_id, period=occasion.period, sent_at=occasion.now)
            session.add(checkin)
            session.flush()
        send_tracked(
            session,
            topic=CHECKIN_TOPIC,
            subject_id=checkin.id,
            recipient=user_id,
            rendering=_checkin_rendering(community, checkin, occasion.schedule),
            kind="checkin",
            now=occasion.now,
            working_hours_zone=None if occasion.forced else occasion.zone.key,
        )
        sent += 1
    when = "now" if occasion.forced else "in each member's working hours"
    skipped = len(existing) if not occasion.forced else 0
    already = f"; {skipped} already had this round's" if skipped else ""
    return f"sent {sent} check-in{'s' if sent != 1 else ''} {when}{already}"


def answer_checkin(session: Session, *, checkin_id: int, user_id: str, answer: str, now: datetime) -> CheckIn:
    """Record the member's answer (they may change it); the DM shows it; help alerts support once."""
    if answer not in ANSWERS:
        raise CheckInRefused("That is not an answer to a check-in.")
    checkin = session.get(CheckIn, checkin_id)
    if checkin is None or checkin.user_id != user_id:
        raise CheckInRefused("That check-in isn't yours to answer.")
    community = session.get(Community, checkin.community_id)
    assert community is not None
    membership = active_membership(session, community, user_id)
    if membership is None or community.archived_at is not None:
        raise CheckInRefused(f"You're no longer a member of *{escape(community.name)}*, so there's nothing to answer.")
    changing_a_snooze = checkin.answer == "snooze"
    checkin.answer = answer
    checkin.answered_at = now
    if answer == "snooze":
        membership.checkin_snoozed_until = now + SNOOZE
    elif changing_a_snooze:  # this check-in's snooze, taken back (a later one's is left alone)
        membership.checkin_snoozed_until = None
    update_tracked(
        session,
        topic=CHECKIN_TOPIC,
        subject_id=checkin.id,
        render=lambda _member: _checkin_rendering(community, checkin, ""),
        kind="checkin_update",
        now=now,
    )
    if answer == "help" and _first_call_for_help(session, checkin, now=now):
        _alert_support(session, community, checkin, now=now)
    return checkin


def _first_call_for_help(session: Session, checkin: CheckIn, *, now: datetime) -> bool:
    """Mark the check-in as having alerted support (compare-and-set): True for the one click that did."""
    first = set_once(session, CheckIn, CheckIn.id == checkin.id, CheckIn.help_alerted_at.is_(None), help_alerted_at=now)
    session.refresh(checkin)
    return first


def claim_help(session: Session, *, checkin_id: int, claimer: str, now: datetime) -> HelpClaim:
    """First claim wins (atomically); every help alert about the member is updated to say who reaches out.

    The caller has checked that the claimer may (`may_support_members`).
    """
    checkin = session.get(CheckIn, checkin_id)
    if checkin is None or checkin.help_alerted_at is None:
        raise CheckInRefused("That request for help no longer exists.")
    community = session.get(Community, checkin.community_id)
    assert community is not None
    if community.archived_at is not None:
        raise CheckInRefused(f"*{escape(community.name)}* has been archived.")
    won = set_once(
        session,
        CheckIn,
        CheckIn.id == checkin_id,
        CheckIn.help_claimed_by.is_(None),
        help_claimed_by=claimer,
        help_claimed_at=now,
    )
    session.refresh(checkin)
    claimed_by = checkin.help_claimed_by
    assert claimed_by is not None
    if won:
        update_tracked(
            session,
            topic=HELP_TOPIC,
            subject_id=checkin.id,
            render=lambda viewer: Rendering(
                text=f"<@{claimed_by}> is reaching out to <@{checkin.user_id}>.",
                blocks=build_help_claimed(community, member=checkin.user_id, claimer=claimed_by, viewer=viewer),
            ),
            kind="checkin_help_update",
            now=now,
        )
    return HelpClaim(won=won, claimed_by=claimed_by, member=checkin.user_id, community=community)


def withdraw_checkins(session: Session, community: Community, *, user_id: str) -> int:
    """Someone left: the check-ins still waiting for their working hours are not sent; how many."""
    unanswered = session.scalars(
        select(CheckIn.id).where(
            CheckIn.community_id == community.id, CheckIn.user_id == user_id, CheckIn.answer.is_(None)
        )
    ).all()
    return withdraw_tracked(session, topic=CHECKIN_TOPIC, subject_ids=list(unanswered))


def checkin_by_id(session: Session, checkin_id: int) -> CheckIn | None:
    """The check-in with that id."""
    return session.get(CheckIn, checkin_id)


def _alert_support(session: Session, community: Community, checkin: CheckIn, *, now: datetime) -> None:
    helpers = [user for user in support_or_coordinators(session, community) if user != checkin.user_id]
    if not helpers:  # the one support holder asked for help themselves: their coordinators hear of it
        helpers = [user for user in role_holders(session, community.id, Role.COORDINATOR) if user != checkin.user_id]
    for volunteer in helpers:
        send_tracked(
            session,
            topic=HELP_TOPIC,
            subject_id=checkin.id,
            recipient=volunteer,
            rendering=Rendering(
                text=f"<@{checkin.user_id}> could use some help in {escape(community.name)}.",
                blocks=build_help_alert(community, checkin_id=checkin.id, member=checkin.user_id),
            ),
            kind="checkin_help",
            now=now,
        )


def _checkin_rendering(community: Community, checkin: CheckIn, schedule_words: str) -> Rendering:
    answered = f" Your answer: {ANSWERS[checkin.answer]}." if checkin.answer else ""
    return Rendering(
        text=f"How is it going in {escape(community.name)}?{answered}",
        blocks=build_checkin_dm(
            community,
            checkin_id=checkin.id,
            user_id=checkin.user_id,
            answer=checkin.answer,
            schedule_words=schedule_words,
        ),
    )
