"""Review survey results: per value cycle, the mean, the spread and the change since the round before.

Results exist only as tallies (see `surveys`). They show once a round has closed, and only when at
least three members answered: figures that changed while a round was open would tell each new
answer apart from the ones before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Community, SurveyParticipation, SurveyRound

MIN_ANSWERS = 3  # below this, results could single people out
CYCLES = (
    ("immediate", "Immediate value", "The community's activities were worth my time."),
    ("potential", "Potential value", "I gained knowledge, skills or contacts I can use."),
    ("applied", "Applied value", "I used something from the community in my work."),
    ("realised", "Realised value", "It made a difference to results that matter."),
    ("reframing", "Reframing value", "The community should change what it does or how it does it."),
)
CYCLE_KEYS = tuple(key for key, _, _ in CYCLES)


@dataclass(frozen=True)
class CycleResult:
    """One value cycle's figures in a round."""

    key: str
    title: str
    statement: str
    counts: list[int]  # how many gave 1, 2, 3, 4, 5
    mean: float | None
    change: float | None  # against the previous round, when both have results to show


@dataclass(frozen=True)
class RoundResults:
    """A closed round's results; `shown` is false (and figures empty) when fewer than MIN_ANSWERS answered."""

    round: SurveyRound
    invited: int
    shown: bool
    cycles: list[CycleResult]
    stories: list[str]  # in alphabetical order: the order says nothing about who answered when
    previous: SurveyRound | None


@dataclass(frozen=True)
class SurveyOverview:
    """What `/cop results` shows: the round still open (how many answered only), and the last closed round."""

    open_round: SurveyRound | None
    open_invited: int
    last_closed: RoundResults | None


def survey_overview(session: Session, community: Community, *, now: datetime) -> SurveyOverview | None:
    """The open round's progress and the last closed round's results; None before the first round."""
    rounds = list(
        session.scalars(
            select(SurveyRound)
            .where(SurveyRound.community_id == community.id)
            .order_by(SurveyRound.opened_at.desc(), SurveyRound.id.desc())
            .limit(3)
        )
    )
    if not rounds:
        return None
    open_round = rounds[0] if rounds[0].closes_at > now else None
    closed = [survey_round for survey_round in rounds if survey_round.closes_at <= now]
    last_closed = round_results(session, closed[0], previous=closed[1] if len(closed) > 1 else None) if closed else None
    return SurveyOverview(open_round, invited_count(session, open_round) if open_round else 0, last_closed)


def round_results(session: Session, survey_round: SurveyRound, *, previous: SurveyRound | None) -> RoundResults:
    """A closed round's figures per cycle (and the change since `previous`), or only the count below MIN_ANSWERS."""
    invited = invited_count(session, survey_round)
    if survey_round.answers < MIN_ANSWERS:
        return RoundResults(survey_round, invited, False, [], [], previous)
    comparable = previous if previous is not None and previous.answers >= MIN_ANSWERS else None
    cycles = []
    for key, title, statement in CYCLES:
        counts = list(survey_round.tallies.get(key, [0] * 5))
        mean = _mean(counts)
        before = _mean(list(comparable.tallies.get(key, [0] * 5))) if comparable else None
        change = round(mean - before, 1) if mean is not None and before is not None else None
        cycles.append(CycleResult(key, title, statement, counts, mean, change))
    return RoundResults(survey_round, invited, True, cycles, sorted(survey_round.stories), previous)


def rounds_closed_between(session: Session, community: Community, start: datetime, end: datetime) -> list[RoundResults]:
    """Results of the rounds that closed in [start, end), for the digest."""
    closed = list(
        session.scalars(
            select(SurveyRound)
            .where(
                SurveyRound.community_id == community.id, SurveyRound.closes_at >= start, SurveyRound.closes_at < end
            )
            .order_by(SurveyRound.closes_at)
        )
    )
    results = []
    for survey_round in closed:
        previous = session.scalar(
            select(SurveyRound)
            .where(SurveyRound.community_id == community.id, SurveyRound.opened_at < survey_round.opened_at)
            .order_by(SurveyRound.opened_at.desc())
            .limit(1)
        )
        results.append(round_results(session, survey_round, previous=previous))
    return results


def invited_count(session: Session, survey_round: SurveyRound) -> int:
    """How many members the round was sent to."""
    return int(
        session.scalar(
            select(func.count()).select_from(SurveyParticipation).where(SurveyParticipation.round_id == survey_round.id)
        )
        or 0
    )


def _mean(counts: list[int]) -> float | None:
    total = sum(counts)
    if not total:
        return None
    return round(sum(rating * count for rating, count in enumerate(counts, start=1)) / total, 1)
