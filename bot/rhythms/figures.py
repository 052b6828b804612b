"""The figures of a community's health digest, CHAOSS-style, each for a period and the period before.

A fixed number of aggregate queries per community, whatever its size: the database counts,
Python only takes medians of the few welcome and first-reply times in two periods.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Date, Integer, and_, bindparam, case, cast, func, or_, select, text
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
from storage.types import UTCDateTime

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
    values = _parameters(community, period)
    members_end, members_start, joined, joined_before, left, left_before = _membership_counts(session, values)
    welcomes = _welcomes(session, values)
    current = [w for w in welcomes if w.joined_at >= period.start]
    trend = _trend(session, values, period)
    active, messages = trend[-1][1], trend[-1][2]
    active_before, messages_before = trend[-2][1], trend[-2][2]
    shared, shared_before, waiting_for_review = _resource_counts(session, values)
    asked, asked_before, answered, answered_before = _question_counts(session, values)
    replies = _first_replies(session, values)
    open_questions, open_total = _open_questions(session, values)
    retention, retention_before = _retention(session, values)
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
        resources=_resources(session, values),
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
        prompts=_prompts(session, values),
        checkins=_checkins(session, values),
        surveys=rounds_closed_between(session, community, period.start, period.end),
        trend=trend,
    )


# The statements are built once, with named parameters, and reused: building a SQLAlchemy statement
# anew for each of 100 communities cost as much as running it.
P = bindparam


def _p_date(name: str) -> BindParameter[date]:
    return bindparam(name, type_=Date())


def _p_time(name: str) -> BindParameter[datetime]:
    return bindparam(name, type_=UTCDateTime())


def _summed(*conditions: ColumnElement[bool]) -> list[ColumnElement[Any]]:
    return [func.coalesce(func.sum(case((condition, 1), else_=0)), 0) for condition in conditions]


def _member_at(moment: BindParameter[datetime]) -> ColumnElement[bool]:
    return and_(Membership.joined_at < moment, or_(Membership.left_at.is_(None), Membership.left_at >= moment))


def _newcomer_in(start: BindParameter[datetime], end: BindParameter[datetime]) -> ColumnElement[bool]:
    return and_(
        Membership.source.not_in(PRESENT_FROM_THE_START), Membership.joined_at >= start, Membership.joined_at < end
    )


def _left_in(start: BindParameter[datetime], end: BindParameter[datetime]) -> ColumnElement[bool]:
    return and_(Membership.left_at >= start, Membership.left_at < end)


_BEFORE, _START, _END = _p_time("before"), _p_time("start"), _p_time("end")
MEMBERSHIP_COUNTS = select(
    *_summed(
        _member_at(_END),
        _member_at(_START),
        _newcomer_in(_START, _END),
        _newcomer_in(_BEFORE, _START),
        _left_in(_START, _END),
        _left_in(_BEFORE, _START),
    )
).where(Membership.community_id == P("community"))
WELCOMES = (
    select(
        WelcomeAlert.newcomer_id,
        WelcomeAlert.created_at,
        WelcomeAlert.claimed_by,
        WelcomeAlert.claimed_at,
        Membership.left_at,
    )
    .join(Membership, Membership.id == WelcomeAlert.membership_id)
    .where(
        WelcomeAlert.community_id == P("community"), WelcomeAlert.created_at >= _BEFORE, WelcomeAlert.created_at < _END
    )
    .order_by(WelcomeAlert.created_at, WelcomeAlert.id)
)
_IN_TREND = (
    ActivityCount.community_id == P("community"),
    ActivityCount.day >= _p_date("first"),
    ActivityCount.day < _p_date("last"),
)
# SQLite: julianday arithmetic; PostgreSQL: whole-number division of the date difference, and grouping by
# (bucket, member) first, which hashes where count(DISTINCT) would sort twice.
_SQLITE_BUCKET = cast(
    (func.julianday(ActivityCount.day) - func.julianday(_p_date("first"))) / P("days", type_=Integer()), Integer
)
TREND_SQLITE = (
    select(_SQLITE_BUCKET, func.count(func.distinct(ActivityCount.user_id)), func.sum(ActivityCount.messages))
    .where(*_IN_TREND)
    .group_by(_SQLITE_BUCKET)
)
_PER_MEMBER = (
    select(
        cast(ActivityCount.day - _p_date("first"), Integer).op("/")(P("days", type_=Integer())).label("bucket"),
        func.sum(ActivityCount.messages).label("messages"),
    )
    .where(*_IN_TREND)
    .group_by(text("1"), ActivityCount.user_id)
    .subquery()
)
TREND_POSTGRES = select(_PER_MEMBER.c.bucket, func.count(), func.sum(_PER_MEMBER.c.messages)).group_by(
    _PER_MEMBER.c.bucket
)


def _retention_window(
    joined_from: str, end: BindParameter[datetime], posted_from: str, posted_to: str
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    joined = and_(Membership.joined_at >= _p_time(joined_from), Membership.joined_at < end)
    posted = and_(joined, ActivityCount.day >= _p_date(posted_from), ActivityCount.day < _p_date(posted_to))
    return joined, posted


_JOINED_NOW, _POSTED_NOW = _retention_window("joined_now", _END, "posted_now", "posted_now_end")
_JOINED_BEFORE, _POSTED_BEFORE = _retention_window("joined_before", _START, "posted_before", "posted_before_end")
RETENTION = (
    select(
        *(
            func.count(func.distinct(case((condition, column))))
            for condition, column in (
                (_JOINED_NOW, Membership.user_id),
                (_POSTED_NOW, ActivityCount.user_id),
                (_JOINED_BEFORE, Membership.user_id),
                (_POSTED_BEFORE, ActivityCount.user_id),
            )
        )
    )
    .select_from(Membership)
    .outerjoin(
        ActivityCount,
        and_(
            ActivityCount.community_id == Membership.community_id,
            ActivityCount.user_id == Membership.user_id,
            ActivityCount.day >= _p_date("posted_before"),
            ActivityCount.day < _p_date("posted_now_end"),
        ),
    )
    .where(
        Membership.community_id == P("community"),
        Membership.source.not_in(PRESENT_FROM_THE_START),
        Membership.joined_at >= _p_time("joined_before"),
        Membership.joined_at < _END,
    )
)
RESOURCES = (
    select(Resource.title, Resource.url, Resource.kind)
    .where(Resource.community_id == P("community"), Resource.shared_at >= _START, Resource.shared_at < _END)
    .order_by(Resource.shared_at, Resource.id)
    .limit(LISTED)
)
RESOURCE_COUNTS = select(
    *_summed(
        and_(Resource.shared_at >= _START, Resource.shared_at < _END),
        and_(Resource.shared_at >= _BEFORE, Resource.shared_at < _START),
        and_(Resource.reviewed_at.is_(None), Resource.retired_at.is_(None), Resource.shared_at < _END),
    )
).where(Resource.community_id == P("community"))
QUESTION_COUNTS = select(
    *_summed(
        and_(Question.asked_at >= _START, Question.asked_at < _END),
        and_(Question.asked_at >= _BEFORE, Question.asked_at < _START),
        and_(Question.answered_at >= _START, Question.answered_at < _END),
        and_(Question.answered_at >= _BEFORE, Question.answered_at < _START),
    )
).where(Question.community_id == P("community"), or_(Question.asked_at >= _BEFORE, Question.answered_at >= _BEFORE))
FIRST_REPLIES = select(Question.asked_at, Question.first_reply_at).where(
    Question.community_id == P("community"),
    Question.asked_at >= _BEFORE,
    Question.asked_at < _END,
    Question.first_reply_at.is_not(None),
)
OPEN_QUESTIONS = (
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
        Question.community_id == P("community"), Question.answered_at.is_(None), Question.asked_at < _p_time("stale")
    )
    .order_by(Question.asked_at, Question.id)
    .limit(LISTED)
)
PROMPTS = (
    select(DiscussionPrompt.text, DiscussionPrompt.reply_count)
    .where(
        DiscussionPrompt.community_id == P("community"),
        DiscussionPrompt.posted_at >= _START,
        DiscussionPrompt.posted_at < _END,
    )
    .order_by(DiscussionPrompt.posted_at)
    .limit(LISTED)
)
_SENT = (CheckIn.community_id == P("community"), CheckIn.sent_at >= _START, CheckIn.sent_at < _END)
CHECKIN_COUNTS = select(CheckIn.answer, func.count()).where(*_SENT).group_by(CheckIn.answer)
NEEDING_HELP = (
    select(CheckIn.user_id).where(*_SENT, CheckIn.answer == "help").order_by(CheckIn.answered_at).limit(LISTED)
)


def _parameters(community: Community, period: Period) -> dict[str, Any]:
    before = period.before
    return {
        "community": community.id,
        "before": before.start,
        "start": period.start,
        "end": period.end,
        "joined_now": period.end - RETENTION_JOINED,
        "joined_before": period.start - RETENTION_JOINED,
        "posted_now": day_after(period.end - RETENTION_POSTED),
        "posted_now_end": day_after(period.end),
        "posted_before": day_after(period.start - RETENTION_POSTED),
        "posted_before_end": day_after(period.start),
        "stale": period.end - OPEN_TOO_LONG,
    }


def _membership_counts(session: Session, values: dict[str, Any]) -> tuple[int, ...]:
    return tuple(int(value) for value in session.execute(MEMBERSHIP_COUNTS, values).one())


def _welcomes(session: Session, values: dict[str, Any]) -> list[Newcomer]:
    return [
        Newcomer(
            user_id=newcomer,
            joined_at=created_at,
            claimed_by=claimed_by,
            seconds_to_claim=int((claimed_at - created_at).total_seconds()) if claimed_at else None,
            still_member=left_at is None,
        )
        for newcomer, created_at, claimed_by, claimed_at, left_at in session.execute(WELCOMES, values)
    ]


def _trend(session: Session, values: dict[str, Any], period: Period) -> list[tuple[date, int, int]]:
    """Active members and messages of the last twelve periods, by whole UTC days, in one query.

    A period is bucketed by day arithmetic (a `CASE` of twelve dates costs twice as much on
    20,000 members' activity); the days of a period are its length rounded to whole days.
    """
    days = max(1, round(period.length / timedelta(days=1)))
    last = day_after(period.end)
    first = last - timedelta(days=days * TREND_PERIODS)
    statement = TREND_SQLITE if session.get_bind().dialect.name == "sqlite" else TREND_POSTGRES
    rows = session.execute(statement, {**values, "first": first, "last": last, "days": days}).all()
    counts = {int(index): (int(active), int(messages or 0)) for index, active, messages in rows}
    return [(first + timedelta(days=days * index), *counts.get(index, (0, 0))) for index in range(TREND_PERIODS)]


def _retention(session: Session, values: dict[str, Any]) -> tuple[tuple[int, int], tuple[int, int]]:
    """Of the newcomers who joined in the 8 weeks before the period's end (and its start), how many
    posted in its last 2 weeks; both in one query."""
    row = session.execute(RETENTION, values).one()
    return (int(row[0]), int(row[1])), (int(row[2]), int(row[3]))


def _resources(session: Session, values: dict[str, Any]) -> list[SharedResource]:
    return [SharedResource(title, url, kind) for title, url, kind in session.execute(RESOURCES, values)]


def _resource_counts(session: Session, values: dict[str, Any]) -> tuple[int, int, int]:
    row = session.execute(RESOURCE_COUNTS, values).one()
    return int(row[0]), int(row[1]), int(row[2])


def _question_counts(session: Session, values: dict[str, Any]) -> tuple[int, int, int, int]:
    row = session.execute(QUESTION_COUNTS, values).one()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def _first_replies(session: Session, values: dict[str, Any]) -> list[tuple[datetime, int]]:
    return [
        (asked_at, int((first_reply_at - asked_at).total_seconds()))
        for asked_at, first_reply_at in session.execute(FIRST_REPLIES, values)
        if first_reply_at
    ]


def _open_questions(session: Session, values: dict[str, Any]) -> tuple[list[OpenQuestion], int]:
    """The oldest questions unanswered for more than 48 hours, and how many there are (one query)."""
    rows = session.execute(OPEN_QUESTIONS, values).all()
    total = int(rows[0][5]) if rows else 0
    return [
        OpenQuestion(text, asked_by, replies, channel, ts) for text, asked_by, replies, channel, ts, _ in rows
    ], total


def _prompts(session: Session, values: dict[str, Any]) -> list[PostedPrompt]:
    return [PostedPrompt(text, replies) for text, replies in session.execute(PROMPTS, values)]


def _checkins(session: Session, values: dict[str, Any]) -> CheckInTally:
    counts = {answer: int(count) for answer, count in session.execute(CHECKIN_COUNTS, values)}
    return CheckInTally(
        sent=sum(counts.values()),
        good=counts.get("good", 0),
        snoozed=counts.get("snooze", 0),
        unanswered=counts.get(None, 0),
        need_help=list(session.scalars(NEEDING_HELP, values)),
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
