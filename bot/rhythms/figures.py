"""The figures of a community's health digest, CHAOSS-style, each for a period and the period before.

A fixed number of aggregate queries per community, whatever its size: the database counts,
Python only takes medians of the few welcome and first-reply times in two periods.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, cast, func, or_, select, text
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

    text: str
    asked_by: str
    reply_count: int
    channel_id: str | None
    ts: str | None


@dataclass(frozen=True)
class SharedResource:
    """A resource shared in the period, as the digest lists it."""

    title: str
    url: str | None
    kind: str


@dataclass(frozen=True)
class PostedPrompt:
    """A discussion prompt posted in the period and its replies."""

    text: str
    replies: int


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
    resources: list[SharedResource]
    shared: Pair
    waiting_for_review: int
    asked: Pair
    answered: Pair
    first_reply: Pair  # median seconds from asking to the first reply
    open_questions: list[OpenQuestion]
    open_total: int
    prompts: list[PostedPrompt]
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
    retention, retention_before = _retention(session, community, period)
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
        retention=retention,
        retention_before=retention_before,
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
        select(
            WelcomeAlert.newcomer_id,
            WelcomeAlert.created_at,
            WelcomeAlert.claimed_by,
            WelcomeAlert.claimed_at,
            Membership.left_at,
        )
        .join(Membership, Membership.id == WelcomeAlert.membership_id)
        .where(
            WelcomeAlert.community_id == community.id, WelcomeAlert.created_at >= start, WelcomeAlert.created_at < end
        )
        .order_by(WelcomeAlert.created_at, WelcomeAlert.id)
    ).all()
    return [
        Newcomer(
            user_id=newcomer,
            joined_at=created_at,
            claimed_by=claimed_by,
            seconds_to_claim=int((claimed_at - created_at).total_seconds()) if claimed_at else None,
            still_member=left_at is None,
        )
        for newcomer, created_at, claimed_by, claimed_at, left_at in rows
    ]


def _trend(session: Session, community: Community, period: Period) -> list[tuple[date, int, int]]:
    """Active members and messages of the last twelve periods, by whole days, in one query.

    A period is bucketed by day arithmetic (a `CASE` of twelve dates costs twice as much on
    20,000 members' activity); the days of a period are its length rounded to whole days.
    """
    days = max(1, round(period.length / timedelta(days=1)))
    last = day_after(period.end)
    first = last - timedelta(days=days * TREND_PERIODS)
    where = (ActivityCount.community_id == community.id, ActivityCount.day >= first, ActivityCount.day < last)
    if session.get_bind().dialect.name == "sqlite":
        offset: ColumnElement[Any] = func.julianday(ActivityCount.day) - func.julianday(first.isoformat())
        bucket: ColumnElement[Any] = cast(offset / days, Integer)
        rows = session.execute(
            select(bucket, func.count(func.distinct(ActivityCount.user_id)), func.sum(ActivityCount.messages))
            .where(*where)
            .group_by(bucket)
        ).all()
    else:  # PostgreSQL hashes (bucket, member) then buckets: faster than sorting for count(DISTINCT)
        per_member = (
            select(
                cast(ActivityCount.day - first, Integer).op("/")(days).label("bucket"),  # whole-number division
                func.sum(ActivityCount.messages).label("messages"),
            )
            .where(*where)
            .group_by(text("1"), ActivityCount.user_id)
            .subquery()
        )
        rows = session.execute(
            select(per_member.c.bucket, func.count(), func.sum(per_member.c.messages)).group_by(per_member.c.bucket)
        ).all()
    counts = {int(index): (int(active), int(messages or 0)) for index, active, messages in rows}
    return [(first + timedelta(days=days * index), *counts.get(index, (0, 0))) for index in range(TREND_PERIODS)]


def _retention(session: Session, community: Community, period: Period) -> tuple[tuple[int, int], tuple[int, int]]:
    """Of the newcomers who joined in the 8 weeks before the period's end (and its start), how many
    posted in its last 2 weeks; both in one query."""

    def window(end: datetime) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
        joined = and_(Membership.joined_at >= end - RETENTION_JOINED, Membership.joined_at < end)
        posted = and_(
            joined, ActivityCount.day >= day_after(end - RETENTION_POSTED), ActivityCount.day < day_after(end)
        )
        return joined, posted

    (joined_now, posted_now), (joined_before, posted_before) = window(period.end), window(period.start)
    activity = and_(
        ActivityCount.community_id == Membership.community_id,
        ActivityCount.user_id == Membership.user_id,
        ActivityCount.day >= day_after(period.start - RETENTION_POSTED),
        ActivityCount.day < day_after(period.end),
    )
    row = session.execute(
        select(
            *(
                func.count(func.distinct(case((condition, column))))
                for condition, column in (
                    (joined_now, Membership.user_id),
                    (posted_now, ActivityCount.user_id),
                    (joined_before, Membership.user_id),
                    (posted_before, ActivityCount.user_id),
                )
            )
        )
        .select_from(Membership)
        .outerjoin(ActivityCount, activity)
        .where(
            Membership.community_id == community.id,
            Membership.source.not_in(PRESENT_FROM_THE_START),
            Membership.joined_at >= period.start - RETENTION_JOINED,
            Membership.joined_at < period.end,
        )
    ).one()
    return (int(row[0]), int(row[1])), (int(row[2]), int(row[3]))


def _resources(session: Session, community: Community, period: Period) -> list[SharedResource]:
    rows = session.execute(
        select(Resource.title, Resource.url, Resource.kind)
        .where(
            Resource.community_id == community.id, Resource.shared_at >= period.start, Resource.shared_at < period.end
        )
        .order_by(Resource.shared_at, Resource.id)
        .limit(LISTED)
    ).all()
    return [SharedResource(title, url, kind) for title, url, kind in rows]


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
    """The oldest questions unanswered for more than 48 hours, and how many there are (one query)."""
    rows = session.execute(
        select(
            Question.text,
            Question.asked_by,
            Question.reply_count,
            OutboxMessage.result_channel,
            OutboxMessage.result_ts,
            func.count().over(),
        )
        .outerjoin(OutboxMessage, OutboxMessage.id == Question.outbox_id)
        .where(
            Question.community_id == community.id,
            Question.answered_at.is_(None),
            Question.asked_at < end - OPEN_TOO_LONG,
        )
        .order_by(Question.asked_at, Question.id)
        .limit(LISTED)
    ).all()
    total = int(rows[0][5]) if rows else 0
    return [
        OpenQuestion(text, asked_by, replies, channel, ts) for text, asked_by, replies, channel, ts, _ in rows
    ], total


def _prompts(session: Session, community: Community, period: Period) -> list[PostedPrompt]:
    rows = session.execute(
        select(DiscussionPrompt.text, DiscussionPrompt.reply_count)
        .where(
            DiscussionPrompt.community_id == community.id,
            DiscussionPrompt.posted_at >= period.start,
            DiscussionPrompt.posted_at < period.end,
        )
        .order_by(DiscussionPrompt.posted_at)
        .limit(LISTED)
    ).all()
    return [PostedPrompt(text, replies) for text, replies in rows]


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


def day_after(moment: datetime) -> date:
    """The first UTC day that starts at or after `moment`: activity is counted per UTC day, and a day belongs
    to the period its first moment falls in (so a digest ending Monday 09:00 counts Monday, a preview today)."""
    utc = moment.astimezone(UTC)
    return utc.date() if utc.time() == time(0) else utc.date() + timedelta(days=1)


def _median(values: list[int | None]) -> float | None:
    present = [value for value in values if value is not None]
    return float(statistics.median(present)) if present else None


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole) if whole else None
