"""The figures of a community's health digest, CHAOSS-style, each for a period and the period before.

A fixed number of aggregate queries per community, whatever its size: the database counts,
Python only takes medians of the few welcome and first-reply times in two periods.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from bot.rhythms.survey_results import RoundResults, rounds_closed_between
from storage.models import (
    ActivityCount,
    CheckIn,
    Community,
    DiscussionPrompt,
    Membership,
    OutboxMessage,
    Question,
    Resource,
    WelcomeAlert,
)

PRESENT_FROM_THE_START = ("create", "founding")  # members who were not newcomers: nobody welcomed them
RETENTION_JOINED = timedelta(weeks=8)
RETENTION_POSTED = timedelta(weeks=2)
OPEN_TOO_LONG = timedelta(hours=48)
TREND_PERIODS = 12
LISTED = 10


@dataclass(frozen=True)
class Period:
    """[start, end): what a digest covers."""

    start: datetime
    end: datetime

    @property
    def length(self) -> timedelta:
        """How long the period is."""
        return self.end - self.start

    @property
    def before(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - self.length, self.start)


@dataclass(frozen=True)
class Pair:
    """A figure for the period and for the period before."""

    now: float | None
    before: float | None


@dataclass(frozen=True)
class Newcomer:
    """Someone who joined in the period, and who welcomed them how fast."""

    user_id: str
    joined_at: datetime
    claimed_by: str | None
    seconds_to_claim: int | None
    still_member: bool


@dataclass(frozen=True)
class OpenQuestion:
    """A question unanswered for more than 48 hours, with where its post is."""

    question: Question
    channel_id: str | None
    ts: str | None


@dataclass(frozen=True)
class CheckInTally:
    """Check-ins sent in the period and how members answered."""

    sent: int = 0
    good: int = 0
    snoozed: int = 0
    unanswered: int = 0
    need_help: list[str] = field(default_factory=list)  # the first few who could use help
    help_total: int = 0


@dataclass(frozen=True)
class DigestFigures:
    """Everything a digest says about one community and one period."""

    period: Period
    members: Pair
    joined: Pair
    left: Pair
    newcomers: list[Newcomer]
    newcomers_total: int
    time_to_welcome: Pair  # median seconds from join to claim
    waiting_for_welcome: int
    active: Pair
    active_share: Pair  # percent of members
    messages: Pair
    retention: tuple[int, int]  # joined in the last 8 weeks, of whom posted in the last 2
    retention_before: tuple[int, int]
    resources: list[Resource]
    shared: Pair
    waiting_for_review: int
    asked: Pair
    answered: Pair
    first_reply: Pair  # median seconds from asking to the first reply
    open_questions: list[OpenQuestion]
    open_total: int
    prompts: list[DiscussionPrompt]
    checkins: CheckInTally
    surveys: list[RoundResults]
    trend: list[tuple[date, int, int]]  # per period, oldest first: (start day, active members, messages)


def digest_figures(session: Session, community: Community, period: Period) -> DigestFigures:
    """Compute every figure of the digest for the period (and the one before it)."""
    before = period.before
    members_end, members_start, joined, joined_before, left, left_before = _membership_counts(
        session, community, period
    )
    welcomes = _welcomes(session, community, before.start, period.end)
    current = [w for w in welcomes if w.joined_at >= period.start]
    trend = _trend(session, community, period)
    active, messages = trend[-1][1], trend[-1][2]
    active_before, messages_before = trend[-2][1], trend[-2][2]
    shared, shared_before, waiting_for_review = _resource_counts(session, community, period)
    asked, asked_before, answered, answered_before = _question_counts(session, community, period)
    replies = _first_replies(session, community, before.start, period.end)
    open_questions, open_total = _open_questions(session, community, period.end)
    return DigestFigures(
        period=period,
        members=Pair(members_end, members_start),
        joined=Pair(joined, joined_before),
        left=Pair(left, left_before),
        newcomers=current[:LISTED],
        newcomers_total=len(current),
        time_to_welcome=Pair(
            _median([w.seconds_to_claim for w in current]),
            _median([w.seconds_to_claim for w in welcomes if w.joined_at < period.start]),
        ),
        waiting_for_welcome=sum(1 for w in current if w.claimed_by is None and w.still_member),
        active=Pair(active, active_before),
        active_share=Pair(_percent(active, members_end), _percent(active_before, members_start)),
        messages=Pair(messages, messages_before),
        retention=_retention(session, community, period.end),
        retention_before=_retention(session, community, period.start),
        resources=_resources(session, community, period),
        shared=Pair(shared, shared_before),
        waiting_for_review=waiting_for_review,
        asked=Pair(asked, asked_before),
        answered=Pair(answered, answered_before),
        first_reply=Pair(
            _median([seconds for asked_at, seconds in replies if asked_at >= period.start]),
            _median([seconds for asked_at, seconds in replies if asked_at < period.start]),
        ),
        open_questions=open_questions,
        open_total=open_total,
        prompts=_prompts(session, community, period),
        checkins=_checkins(session, community, period),
        surveys=rounds_closed_between(session, community, period.start, period.end),
        trend=trend,
    )


def _membership_counts(session: Session, community: Community, period: Period) -> tuple[int, ...]:
    before = period.before
    newcomer = Membership.source.not_in(PRESENT_FROM_THE_START)

    def member_at(moment: datetime) -> ColumnElement[bool]:
        return and_(Membership.joined_at < moment, or_(Membership.left_at.is_(None), Membership.left_at >= moment))

    def joined_in(span: Period) -> ColumnElement[bool]:
        return and_(newcomer, Membership.joined_at >= span.start, Membership.joined_at < span.end)

    def left_in(span: Period) -> ColumnElement[bool]:
        return and_(Membership.left_at >= span.start, Membership.left_at < span.end)

    conditions = (
        member_at(period.end),
        member_at(period.start),
        joined_in(period),
        joined_in(before),
        left_in(period),
        left_in(before),
    )
    row = session.execute(
        select(*(func.coalesce(func.sum(case((condition, 1), else_=0)), 0) for condition in conditions)).where(
            Membership.community_id == community.id
        )
    ).one()
    return tuple(int(value) for value in row)


def _welcomes(session: Session, community: Community, start: datetime, end: datetime) -> list[Newcomer]:
    rows = session.execute(
        select(WelcomeAlert, Membership.left_at)
        .join(Membership, Membership.id == WelcomeAlert.membership_id)
        .where(
            WelcomeAlert.community_id == community.id, WelcomeAlert.created_at >= start, WelcomeAlert.created_at < end
        )
        .order_by(WelcomeAlert.created_at, WelcomeAlert.id)
    ).all()
    return [
        Newcomer(
            user_id=alert.newcomer_id,
            joined_at=alert.created_at,
            claimed_by=alert.claimed_by,
            seconds_to_claim=int((alert.claimed_at - alert.created_at).total_seconds()) if alert.claimed_at else None,
            still_member=left_at is None,
        )
        for alert, left_at in rows
    ]


def _trend(session: Session, community: Community, period: Period) -> list[tuple[date, int, int]]:
    """Active members and messages of the last twelve periods (by UTC day), in one query."""
    starts = [(period.end - period.length * back).date() for back in range(TREND_PERIODS, 0, -1)]
    end_day = period.end.date()
    bucket = case(
        *((ActivityCount.day < day, index - 1) for index, day in enumerate(starts[1:], start=1)),
        else_=TREND_PERIODS - 1,
    )
    rows = session.execute(
        select(bucket, func.count(func.distinct(ActivityCount.user_id)), func.sum(ActivityCount.messages))
        .where(ActivityCount.community_id == community.id, ActivityCount.day >= starts[0], ActivityCount.day < end_day)
        .group_by(bucket)
    ).all()
    counts = {int(index): (int(active), int(messages or 0)) for index, active, messages in rows}
    return [(day, *counts.get(index, (0, 0))) for index, day in enumerate(starts)]


def _retention(session: Session, community: Community, end: datetime) -> tuple[int, int]:
    """Of the newcomers who joined in the 8 weeks before `end`, how many posted in its last 2 weeks."""
    posted = and_(
        ActivityCount.community_id == Membership.community_id,
        ActivityCount.user_id == Membership.user_id,
        ActivityCount.day >= (end - RETENTION_POSTED).date(),
        ActivityCount.day < end.date(),
    )
    row = session.execute(
        select(func.count(func.distinct(Membership.user_id)), func.count(func.distinct(ActivityCount.user_id)))
        .select_from(Membership)
        .outerjoin(ActivityCount, posted)
        .where(
            Membership.community_id == community.id,
            Membership.source.not_in(PRESENT_FROM_THE_START),
            Membership.joined_at >= end - RETENTION_JOINED,
            Membership.joined_at < end,
        )
    ).one()
    return int(row[0]), int(row[1])


def _resources(session: Session, community: Community, period: Period) -> list[Resource]:
    return list(
        session.scalars(
            select(Resource)
            .where(
                Resource.community_id == community.id,
                Resource.shared_at >= period.start,
                Resource.shared_at < period.end,
            )
            .order_by(Resource.shared_at, Resource.id)
            .limit(LISTED)
        )
    )


def _resource_counts(session: Session, community: Community, period: Period) -> tuple[int, int, int]:
    before = period.before

    def shared_in(span: Period) -> ColumnElement[bool]:
        return and_(Resource.shared_at >= span.start, Resource.shared_at < span.end)

    waiting = and_(Resource.reviewed_at.is_(None), Resource.retired_at.is_(None), Resource.shared_at < period.end)
    row = session.execute(
        select(
            *(
                func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
                for condition in (shared_in(period), shared_in(before), waiting)
            )
        ).where(Resource.community_id == community.id)
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def _question_counts(session: Session, community: Community, period: Period) -> tuple[int, int, int, int]:
    before = period.before

    def asked_in(span: Period) -> ColumnElement[bool]:
        return and_(Question.asked_at >= span.start, Question.asked_at < span.end)

    def answered_in(span: Period) -> ColumnElement[bool]:
        return and_(Question.answered_at >= span.start, Question.answered_at < span.end)

    conditions = (asked_in(period), asked_in(before), answered_in(period), answered_in(before))
    row = session.execute(
        select(*(func.coalesce(func.sum(case((condition, 1), else_=0)), 0) for condition in conditions)).where(
            Question.community_id == community.id,
            or_(Question.asked_at >= before.start, Question.answered_at >= before.start),
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def _first_replies(
    session: Session, community: Community, start: datetime, end: datetime
) -> list[tuple[datetime, int]]:
    rows = session.execute(
        select(Question.asked_at, Question.first_reply_at).where(
            Question.community_id == community.id,
            Question.asked_at >= start,
            Question.asked_at < end,
            Question.first_reply_at.is_not(None),
        )
    ).all()
    return [
        (asked_at, int((first_reply_at - asked_at).total_seconds()))
        for asked_at, first_reply_at in rows
        if first_reply_at
    ]


def _open_questions(session: Session, community: Community, end: datetime) -> tuple[list[OpenQuestion], int]:
    waiting = (
        Question.community_id == community.id,
        Question.answered_at.is_(None),
        Question.asked_at < end - OPEN_TOO_LONG,
    )
    rows = session.execute(
        select(Question, OutboxMessage.result_channel, OutboxMessage.result_ts)
        .outerjoin(OutboxMessage, OutboxMessage.id == Question.outbox_id)
        .where(*waiting)
        .order_by(Question.asked_at, Question.id)
        .limit(LISTED)
    ).all()
    total = int(session.scalar(select(func.count()).select_from(Question).where(*waiting)) or 0)
    return [OpenQuestion(question, channel, ts) for question, channel, ts in rows], total


def _prompts(session: Session, community: Community, period: Period) -> list[DiscussionPrompt]:
    return list(
        session.scalars(
            select(DiscussionPrompt)
            .where(
                DiscussionPrompt.community_id == community.id,
                DiscussionPrompt.posted_at >= period.start,
                DiscussionPrompt.posted_at < period.end,
            )
            .order_by(DiscussionPrompt.posted_at)
            .limit(LISTED)
        )
    )


def _checkins(session: Session, community: Community, period: Period) -> CheckInTally:
    sent_in_period = (
        CheckIn.community_id == community.id,
        CheckIn.sent_at >= period.start,
        CheckIn.sent_at < period.end,
    )
    counts = {
        answer: int(count)
        for answer, count in session.execute(
            select(CheckIn.answer, func.count()).where(*sent_in_period).group_by(CheckIn.answer)
        )
    }
    need_help = session.scalars(
        select(CheckIn.user_id)
        .where(*sent_in_period, CheckIn.answer == "help")
        .order_by(CheckIn.answered_at)
        .limit(LISTED)
    ).all()
    return CheckInTally(
        sent=sum(counts.values()),
        good=counts.get("good", 0),
        snoozed=counts.get("snooze", 0),
        unanswered=counts.get(None, 0),
        need_help=list(need_help),
        help_total=counts.get("help", 0),
    )


def _median(values: list[int | None]) -> float | None:
    present = [value for value in values if value is not None]
    return float(statistics.median(present)) if present else None


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole) if whole else None
