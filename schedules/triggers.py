"""A typed face on APScheduler 3 (which ships no type information): cron rules and the background runner.

APScheduler's CronTrigger computes the wall-clock fire times; copbot places them in the zone itself.
Its own daylight-saving handling was not enough: on the night clocks go back, a time that occurs
twice made `get_next_fire_time` return a time that was not after the one given (a search that
never ended), and made a job fire twice. Here a wall time maps to one instant: a repeated time
fires at its first occurrence, a time skipped in spring fires an hour later that day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

WEEKDAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
SEARCH_YEARS = 5  # a rule that does not fire within this many years is taken to never fire


class CrontabError(ValueError):
    """A 5-field cron expression copbot cannot read; the message says what is wrong."""


class Cron:
    """Fire times of a cron rule at wall-clock times of a zone."""

    def __init__(self, fields: dict[str, str | int], zone: ZoneInfo) -> None:
        self._fields = fields
        self._wall = CronTrigger(timezone=UTC, **fields)  # wall-clock times, labelled UTC
        self.zone = zone

    @classmethod
    def of(cls, zone: ZoneInfo, **fields: str | int) -> Cron:
        """A rule from APScheduler's cron fields (minute, hour, day, month, day_of_week: 0 is Monday)."""
        return cls(fields, zone)

    def first_from(self, moment: datetime) -> datetime | None:
        """The first fire time at or after `moment`, in UTC (so that comparing times never meets PEP 495's
        rule that a repeated wall time is unequal to every time of another zone)."""
        wall = moment.astimezone(self.zone).replace(tzinfo=UTC)
        for _ in range(3):  # a wall time whose instant came before `moment` (a repeated hour): the next one
            fire = cast(datetime | None, self._wall.get_next_fire_time(None, wall))
            if fire is None:
                return None
            instant = fire.replace(tzinfo=self.zone)  # fold 0: the first of a repeated time, an hour on in a gap
            if instant >= moment:
                return instant.astimezone(UTC)
            wall = fire + timedelta(microseconds=1)
        return None

    def first_after(self, moment: datetime) -> datetime | None:
        """The first fire time strictly after `moment`."""
        return self.first_from(moment + timedelta(microseconds=1))

    def ever_fires(self) -> bool:
        """True when the rule fires at all (within SEARCH_YEARS of 2026): `0 9 30 2 *` never does."""
        start = datetime(2026, 1, 1, tzinfo=UTC)
        bounded = CronTrigger(timezone=UTC, end_date=start.replace(year=start.year + SEARCH_YEARS), **self._fields)
        return bounded.get_next_fire_time(None, start) is not None


class _AnyOf(Cron):
    """The earliest fire time of several rules (crontab's day-or-weekday)."""

    def __init__(self, rules: list[Cron]) -> None:
        self._rules = rules
        self.zone = rules[0].zone

    def first_from(self, moment: datetime) -> datetime | None:
        """The earliest of the rules' first fire times at or after `moment`."""
        times = [time for time in (rule.first_from(moment) for rule in self._rules) if time is not None]
        return min(times) if times else None

    def ever_fires(self) -> bool:
        """True when one of the rules fires."""
        return any(rule.ever_fires() for rule in self._rules)


def crontab(expression: str, zone: ZoneInfo) -> Cron:
    """A standard 5-field crontab rule (`minute hour day month weekday`, Sunday is 0 or 7) in a zone.

    APScheduler 3 counts weekdays from Monday and ANDs day and weekday; crontab counts from
    Sunday and ORs them when both are restricted. This follows crontab. Of day-or-weekday, a
    part that never fires (30 February) is left out, so it costs no search.
    """
    fields = expression.split()
    if len(fields) != 5:
        raise CrontabError(f"a cron expression has 5 fields (minute hour day month weekday), not {len(fields)}")
    minute, hour, day, month, weekday = fields
    try:
        weekday = _weekday_names(weekday)
        if day != "*" and weekday != "*":
            parts = [
                Cron.of(zone, minute=minute, hour=hour, day=day, month=month),
                Cron.of(zone, minute=minute, hour=hour, month=month, day_of_week=weekday),
            ]
            firing = [part for part in parts if part.ever_fires()]
            return _AnyOf(firing) if len(firing) > 1 else (firing or parts)[0]
        return Cron.of(zone, minute=minute, hour=hour, day=day, month=month, day_of_week=weekday)
    except ValueError as problem:
        raise CrontabError(str(problem)) from None


def _weekday_names(field: str) -> str:
    """Crontab weekday numbers (0 or 7 is Sunday) as names APScheduler reads the same way."""
    if field == "*" or not any(char.isdigit() for char in field):
        return field.lower()
    days: list[str] = []
    for part in field.split(","):
        days.extend(_weekday_part(part))
    return ",".join(dict.fromkeys(days))


def _weekday_part(part: str) -> list[str]:
    span, _, step_text = part.partition("/")
    step = int(step_text) if step_text else 1
    if span == "*":
        first, last = 0, 6
    elif "-" in span:
        low, high = span.split("-", 1)
        first, last = _weekday_number(low), _weekday_number(high)
    else:
        first = last = _weekday_number(span)
    if step < 1 or last < first:
        raise CrontabError(f"cannot read the weekday field {part!r}")
    return [WEEKDAY_NAMES[number % 7] for number in range(first, last + 1, step)]


def _weekday_number(text: str) -> int:
    lowered = text.lower()
    if lowered in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(lowered)
    if lowered.isascii() and lowered.isdigit() and int(lowered) <= 7:
        return int(lowered)
    raise CrontabError(f"{text!r} is not a weekday (0–7 or sun–sat)")


class BackgroundRunner:
    """APScheduler's background scheduler, for one job that runs every so often on its own thread."""

    def __init__(self, zone: ZoneInfo) -> None:
        self._aps = BackgroundScheduler(
            timezone=zone, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
        )

    def add_every(self, job_id: str, name: str, seconds: float, run: Callable[[], None], *, first: datetime) -> None:
        """Run `run` every `seconds`, the first time at `first`."""
        self._aps.add_job(
            run,
            trigger=IntervalTrigger(seconds=seconds),
            id=job_id,
            name=name,
            replace_existing=True,
            next_run_time=first,
        )

    @property
    def running(self) -> bool:
        """True between `start` and `shutdown`."""
        return bool(self._aps.running)

    def start(self) -> None:
        """Start firing jobs on a background thread."""
        if not self._aps.running:
            self._aps.start()

    def shutdown(self) -> None:
        """Stop firing jobs; a job already running finishes."""
        if self._aps.running:
            self._aps.shutdown(wait=True)
