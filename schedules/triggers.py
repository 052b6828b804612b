"""A typed face on APScheduler 3 (which ships no type information): cron triggers and the background runner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger


class Cron:
    """Fire times of a cron rule in a time zone, as APScheduler computes them (wall clock, DST-aware)."""

    def __init__(self, trigger: Any) -> None:
        self._trigger = trigger

    @classmethod
    def of(cls, zone: ZoneInfo, **fields: str | int) -> Cron:
        """A rule from APScheduler's cron fields (minute, hour, day, month, day_of_week: 0 is Monday)."""
        return cls(CronTrigger(timezone=zone, **fields))

    @property
    def trigger(self) -> Any:
        """The APScheduler trigger, for the background runner."""
        return self._trigger

    def first_from(self, moment: datetime) -> datetime | None:
        """The first fire time at or after `moment`."""
        return cast(datetime | None, self._trigger.get_next_fire_time(None, moment))

    def first_after(self, moment: datetime) -> datetime | None:
        """The first fire time strictly after `moment`."""
        return self.first_from(moment + timedelta(microseconds=1))


class BackgroundRunner:
    """APScheduler's background scheduler: jobs with explicit ids, one instance each, late runs coalesced."""

    def __init__(self, zone: ZoneInfo) -> None:
        self._aps = BackgroundScheduler(
            timezone=zone, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
        )

    def add_cron(self, job_id: str, name: str, cron: Cron, run: Callable[[], None]) -> None:
        """Run `run` on the cron rule."""
        self._aps.add_job(run, trigger=cron.trigger, id=job_id, name=name, replace_existing=True)

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


WEEKDAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


class CrontabError(ValueError):
    """A 5-field cron expression copbot cannot read; the message says what is wrong."""


def crontab(expression: str, zone: ZoneInfo) -> Cron:
    """A standard 5-field crontab rule (`minute hour day month weekday`, Sunday is 0 or 7) in a zone.

    APScheduler 3 counts weekdays from Monday and ANDs day and weekday; crontab counts from
    Sunday and ORs them when both are restricted. This follows crontab.
    """
    fields = expression.split()
    if len(fields) != 5:
        raise CrontabError(f"a cron expression has 5 fields (minute hour day month weekday), not {len(fields)}")
    minute, hour, day, month, weekday = fields
    try:
        weekday = _weekday_names(weekday)
        if day != "*" and weekday != "*":
            return _AnyOf(
                [
                    Cron.of(zone, minute=minute, hour=hour, day=day, month=month),
                    Cron.of(zone, minute=minute, hour=hour, month=month, day_of_week=weekday),
                ]
            )
        return Cron.of(zone, minute=minute, hour=hour, day=day, month=month, day_of_week=weekday)
    except ValueError as problem:
        raise CrontabError(str(problem)) from None


class _AnyOf(Cron):
    """The earliest fire time of several rules (crontab's day-or-weekday)."""

    def __init__(self, rules: list[Cron]) -> None:
        super().__init__(OrTrigger([rule.trigger for rule in rules]))
        self._rules = rules

    def first_from(self, moment: datetime) -> datetime | None:
        """The earliest of the rules' first fire times at or after `moment`."""
        times = [time for time in (rule.first_from(moment) for rule in self._rules) if time is not None]
        return min(times) if times else None


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
    if lowered.isdigit() and int(lowered) <= 7:
        return int(lowered)
    raise CrontabError(f"{text!r} is not a weekday (0–7 or sun–sat)")
