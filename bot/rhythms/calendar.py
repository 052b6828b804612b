"""A community's schedules as people see and set them: `/cop schedule`, and the next discussion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.communities.lifecycle import Refused
from bot.rhythms.digest import covers_a_whole_period
from bot.rhythms.jobs import BY_NAME, DIGEST, JOBS, PROMPT
from bot.rhythms.prompts import next_queued
from bot.slack.markup import escape, slack_date
from schedules.ledger import last_run
from schedules.spec import community_scope
from schedules.stored import CommunitySchedule, schedules_of, set_schedule
from schedules.when import WhenError, parse_when, parse_zone
from storage.models import Community


@dataclass(frozen=True)
class ScheduleLine:
    """One job of a community as `/cop schedule` shows it."""

    job: str
    when: str  # in words, with the zone
    next_run: str
    last_run: str


def schedule_lines(session: Session, community: Community, *, zone: ZoneInfo, now: datetime) -> list[ScheduleLine]:
    """Each job: WHEN in words and zone, next run, last run and what it did."""
    lines = []
    for schedule in schedules_of(session, community, JOBS, default_zone=zone):
        timetable = schedule.timetable()
        next_fire = timetable.next_after(now) if timetable is not None else None
        if schedule.job is DIGEST and timetable is not None:  # the first digest waits for a whole period
            while next_fire is not None and not covers_a_whole_period(
                community, since=timetable.previous_before(next_fire), due_at=next_fire
            ):
                next_fire = timetable.next_after(next_fire)
        ran = last_run(session, job=schedule.job.name, scope=community_scope(community.id))
        last = f"{slack_date(ran.started_at, schedule.zone)}: {escape(ran.summary)}" if ran else "never"
        lines.append(
            ScheduleLine(
                job=schedule.job.name,
                when=_in_words(schedule),
                next_run=slack_date(next_fire, schedule.zone) if next_fire else "—",
                last_run=last,
            )
        )
    return lines


def change_schedule(
    session: Session, community: Community, *, words: list[str], by: str, now: datetime, zone: ZoneInfo, command: str
) -> tuple[CommunitySchedule, list[datetime]]:
    """`JOB WHEN [ZONE]`: store the new schedule; returns it and its next three runs (Refused says what is wrong)."""
    jobs = ", ".join(f"`{name}`" for name in BY_NAME)
    if not words or words[0].lower() not in BY_NAME:
        named = f"`{escape(words[0])}` is not a job. " if words else ""
        raise Refused(f"{named}Jobs are {jobs}: `{command} schedule {community.name} digest weekly mon 09:00`.")
    job = BY_NAME[words[0].lower()]
    when_words, zone_word = _split_zone(words[1:])
    try:
        when = parse_when(when_words)
        chosen = parse_zone(zone_word) if zone_word else None
    except WhenError as problem:  # it may quote what was typed: escaped like any user text
        raise Refused(escape(str(problem))) from None
    schedule = set_schedule(session, community, job, when=when, zone=chosen, by=by, now=now, default_zone=zone)
    timetable = schedule.timetable()
    return schedule, timetable.next_runs(now, 3) if timetable is not None else []


def describe_change(
    community: Community, schedule: CommunitySchedule, upcoming: list[datetime], *, command: str
) -> str:
    """The answer to a schedule change: what it is now, and the next three runs."""
    title = escape(community.name)
    if schedule.when.off:
        return f"The {schedule.job.name} of *{title}* is off now. Turn it back on with `{command} schedule {community.name} {schedule.job.name} WHEN`."
    runs = ", ".join(slack_date(run, schedule.zone) for run in upcoming)
    return f"The {schedule.job.name} of *{title}* now runs {_in_words(schedule)}. Next runs: {runs}."


def next_discussion(session: Session, community: Community, *, zone: ZoneInfo, now: datetime) -> str | None:
    """The next queued discussion prompt and when it goes out, or None ("none scheduled")."""
    prompt = next_queued(session, community)
    if prompt is None:
        return None
    [schedule] = schedules_of(session, community, [PROMPT], default_zone=zone)
    timetable = schedule.timetable()
    upcoming = timetable.next_after(now) if timetable is not None else None
    if upcoming is None:
        return None
    return f"“{escape(prompt.text)}” — {slack_date(upcoming, schedule.zone)}"


def _in_words(schedule: CommunitySchedule) -> str:
    if schedule.when.off:
        return "off"
    return f"{schedule.when.describe()} ({schedule.zone.key})"


def _split_zone(words: list[str]) -> tuple[list[str], str | None]:
    """The WHEN words and a trailing zone, when there is one beyond what the WHEN form takes."""
    if not words:
        return words, None
    arity = {"weekly": 3, "biweekly": 3, "monthly": 3, "quarterly": 1, "off": 1}.get(words[0].lower(), 5)
    if len(words) > arity:
        return words[:arity], " ".join(words[arity:])
    return words, None


@dataclass(frozen=True)
class PromptTiming:
    """When queued prompts go out: the schedule in words, its zone, and the next post (None when off)."""

    words: str
    zone: ZoneInfo
    next_post: datetime | None


def prompt_timing(session: Session, community: Community, *, zone: ZoneInfo, now: datetime) -> PromptTiming:
    """The prompt schedule of the community."""
    [schedule] = schedules_of(session, community, [PROMPT], default_zone=zone)
    timetable = schedule.timetable()
    return PromptTiming(_in_words(schedule), schedule.zone, timetable.next_after(now) if timetable else None)


def when_queued_prompt_goes_out(
    session: Session, community: Community, *, position: int, zone: ZoneInfo, now: datetime, command: str
) -> str:
    """For the person who queued a prompt: when it will be posted (the queue goes one prompt per run)."""
    [schedule] = schedules_of(session, community, [PROMPT], default_zone=zone)
    timetable = schedule.timetable()
    if timetable is None:
        return (
            f"Prompts are off for *{escape(community.name)}*: turn them on with "
            f"`{command} schedule {community.name} prompt weekly wed 10:00`."
        )
    runs = timetable.next_runs(now, position)
    when = f" — this one on {slack_date(runs[-1], schedule.zone)}" if len(runs) == position else ""
    return f"Prompts go out one at a time, {_in_words(schedule)}{when}."


def digest_period(
    session: Session, community: Community, *, zone: ZoneInfo, now: datetime
) -> tuple[timedelta, ZoneInfo]:
    """How long a digest period is (between its last two runs; a week when off) and its zone."""
    [schedule] = schedules_of(session, community, [DIGEST], default_zone=zone)
    timetable = schedule.timetable()
    latest = timetable.latest_at_or_before(now) if timetable else None
    previous = timetable.previous_before(latest) if timetable and latest else None
    if latest is None or previous is None:
        return timedelta(days=7), schedule.zone
    return latest - previous, schedule.zone
