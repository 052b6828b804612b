"""The review survey: five 1–5 ratings on the value cycles of a community of practice and a story of value.

Anonymity by construction: a round keeps only tallies (per cycle, how many gave each rating) and
its stories, in random order; who answered is kept apart (SurveyParticipation) and says only
*that* they answered. No row, order or time links an answer to a person. Results show once at
least three members have answered.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.communities.lookup import lock_community
from bot.communities.membership import active_membership
from bot.delivery.outbox import post_message
from bot.rhythms.survey_blocks import build_survey_invitation
from bot.rhythms.survey_results import CYCLE_KEYS, invited_count
from bot.slack.markup import escape, slack_date
from schedules.spec import CommunityOccasion
from storage.db import set_once
from storage.models import Community, Membership, SurveyParticipation, SurveyRound

OPEN_FOR = timedelta(days=14)
MAX_STORY = 2000


class SurveyRefused(Exception):
    """A survey action that cannot be done; `field` names the part of the form that is wrong, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def run_survey(session: Session, community: Community, occasion: CommunityOccasion) -> str:
    """The survey job: open this period's round and invite the members (a forced re-run reminds who has not answered)."""
    existing = session.scalar(
        select(SurveyRound).where(SurveyRound.community_id == community.id, SurveyRound.period == occasion.period)
    )
    if existing is not None:
        if not occasion.forced:
            return "this round is already open"
        reminded = _remind(session, community, existing, now=occasion.now, zone=occasion.zone)
        return f"reminded {reminded} member{'s' if reminded != 1 else ''} who have not answered"
    lock_community(session, community)
    still_open = open_round_of(session, community, now=occasion.now)
    if still_open is not None:
        return (
            f"skipped: the round opened {still_open.opened_at:%Y-%m-%d} is open until {still_open.closes_at:%Y-%m-%d}"
        )
    opened = open_round(session, community, period=occasion.period, now=occasion.now, by=None, zone=occasion.zone)
    if opened is None:
        return "this round is already open"
    _, invited = opened
    return f"opened a survey round and invited {invited} member{'s' if invited != 1 else ''}"


def open_round_now(
    session: Session, community: Community, *, by: str, now: datetime, zone: ZoneInfo, command: str
) -> tuple[SurveyRound, int]:
    """`/cop survey`: open a round now, unless one is open already (two at once open one)."""
    lock_community(session, community)
    still_open = open_round_of(session, community, now=now)
    if still_open is not None:
        answered = still_open.answers
        invited = invited_count(session, still_open)
        raise SurveyRefused(
            f"A review survey of *{escape(community.name)}* is open until {slack_date(still_open.closes_at, zone)}: "
            f"{answered} of {invited} answered so far. `{command} results {community.name}` shows where it stands."
        )
    opened = open_round(session, community, period=f"manual {now:%Y-%m-%dT%H:%M:%S}", now=now, by=by, zone=zone)
    if opened is None:
        raise SurveyRefused(f"A survey round opened at this very moment already. Try `{command} results` in a minute.")
    return opened


def open_round(
    session: Session, community: Community, *, period: str, now: datetime, by: str | None, zone: ZoneInfo
) -> tuple[SurveyRound, int] | None:
    """Open a round and invite every member; None when this period's round exists already."""
    survey_round = SurveyRound(
        community_id=community.id,
        period=period,
        opened_at=now,
        closes_at=now + OPEN_FOR,
        opened_by=by,
        answers=0,
        tallies={key: [0, 0, 0, 0, 0] for key in CYCLE_KEYS},
        stories=[],
    )
    try:
        with session.begin_nested():
            session.add(survey_round)
    except IntegrityError:
        return None
    members = session.scalars(
        select(Membership.user_id)
        .where(Membership.community_id == community.id, Membership.left_at.is_(None))
        .order_by(Membership.joined_at, Membership.id)
    ).all()
    for user_id in members:
        participation = SurveyParticipation(round_id=survey_round.id, user_id=user_id, answered=False)
        session.add(participation)
        session.flush()
        _invite(session, community, survey_round, participation, now=now, zone=zone)
    return survey_round, len(members)


def open_round_of(session: Session, community: Community, *, now: datetime) -> SurveyRound | None:
    """The round still taking answers, if any."""
    return session.scalar(
        select(SurveyRound)
        .where(SurveyRound.community_id == community.id, SurveyRound.closes_at > now)
        .order_by(SurveyRound.opened_at.desc())
        .limit(1)
    )


def check_can_answer(session: Session, *, round_id: int, user_id: str, now: datetime) -> tuple[SurveyRound, Community]:
    """The round a member may answer now, or SurveyRefused saying why not."""
    survey_round = session.get(SurveyRound, round_id)
    community = session.get(Community, survey_round.community_id) if survey_round else None
    if survey_round is None or community is None:
        raise SurveyRefused("That survey no longer exists.")
    participation = _participation(session, survey_round, user_id)
    if participation is None:
        raise SurveyRefused(f"This round of the *{escape(community.name)}* survey went to its members when it opened.")
    if participation.answered:
        raise SurveyRefused(f"You already answered this round of the *{escape(community.name)}* survey — thank you!")
    if survey_round.closes_at <= now or community.archived_at is not None:
        raise SurveyRefused(f"This round of the *{escape(community.name)}* survey has closed.")
    if active_membership(session, community, user_id) is None:
        raise SurveyRefused(f"The *{escape(community.name)}* survey is for its members; you have left it.")
    return survey_round, community


def submit_answer(
    session: Session, *, round_id: int, user_id: str, ratings: dict[str, str | None], story: str, now: datetime
) -> Community:
    """Count one member's answer once, without their name (and without queuing anything that says when)."""
    values: dict[str, int] = {}
    for key in CYCLE_KEYS:
        raw = ratings.get(key)
        if raw is None or not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 5:
            raise SurveyRefused("Choose a rating from 1 to 5.", field=key)
        values[key] = int(raw)
    story = story.strip()
    if len(story) > MAX_STORY:
        raise SurveyRefused(f"Keep the story under {MAX_STORY} characters.", field="story")
    survey_round, community = check_can_answer(session, round_id=round_id, user_id=user_id, now=now)
    participation = _participation(session, survey_round, user_id)
    assert participation is not None
    first = set_once(
        session,
        SurveyParticipation,
        SurveyParticipation.id == participation.id,
        SurveyParticipation.answered.is_(False),
        answered=True,
    )
    if not first:  # a second submission racing the first
        raise SurveyRefused("You already answered this round — thank you!", field=CYCLE_KEYS[0])
    _count(session, survey_round.id, values, story)
    return community  # nothing is queued: a message per answer would record who answered when


def _count(session: Session, round_id: int, values: dict[str, int], story: str) -> None:
    """Add an answer to the round's tallies under a row lock, a story at a random place."""
    survey_round = session.get(SurveyRound, round_id, with_for_update=True, populate_existing=True)
    assert survey_round is not None
    tallies = {key: list(survey_round.tallies.get(key, [0] * 5)) for key in CYCLE_KEYS}
    for key, rating in values.items():
        tallies[key][rating - 1] += 1
    stories = list(survey_round.stories)
    if story:
        stories.insert(random.randrange(len(stories) + 1), story)
    survey_round.tallies = tallies
    survey_round.stories = stories
    survey_round.answers += 1


def _remind(session: Session, community: Community, survey_round: SurveyRound, *, now: datetime, zone: ZoneInfo) -> int:
    waiting = list(
        session.scalars(
            select(SurveyParticipation).where(
                SurveyParticipation.round_id == survey_round.id, SurveyParticipation.answered.is_(False)
            )
        )
    )
    for participation in waiting:
        _invite(session, community, survey_round, participation, now=now, zone=zone)
    return len(waiting)


def _invite(
    session: Session,
    community: Community,
    survey_round: SurveyRound,
    participation: SurveyParticipation,
    *,
    now: datetime,
    zone: ZoneInfo,
) -> None:
    post_message(
        session,
        channel=participation.user_id,
        text=f"The {escape(community.name)} review survey: what has the community been worth to you?",
        blocks=build_survey_invitation(
            community, round_id=survey_round.id, closes_at=survey_round.closes_at, zone=zone
        ),
        kind="survey_invitation",
        now=now,
    )


def _participation(session: Session, survey_round: SurveyRound, user_id: str) -> SurveyParticipation | None:
    return session.scalar(
        select(SurveyParticipation).where(
            SurveyParticipation.round_id == survey_round.id, SurveyParticipation.user_id == user_id
        )
    )
