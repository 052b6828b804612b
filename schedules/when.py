"""WHEN: how coordinators say when a community's job runs, and the fire times it means.

    weekly mon 09:00 · biweekly fri 14:00 · monthly 1 10:00 · quarterly · a 5-field cron · off

Times are wall-clock times in the schedule's zone: `weekly mon 09:00` in Europe/Berlin fires at
09:00 Berlin time in winter and in summer alike.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from schedules.triggers import Cron, CrontabError, crontab

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FORMS = (
    ("weekly DAY HH:MM", "weekly mon 09:00"),
    ("biweekly DAY HH:MM", "biweekly fri 14:00"),
    ("monthly DAY-OF-MONTH HH:MM", "monthly 1 10:00"),
    ("quarterly", "the first Monday of January, April, July and October at 10:00"),
    ("a cron expression", "0 9 * * 1-5 (minute hour day month weekday)"),
    ("off", "stop this job"),
)
TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
SHORTEST_GAP = timedelta(hours=1)
EPOCH_MONDAY = date(1970, 1, 5)


class WhenError(ValueError):
    """A WHEN or zone copbot cannot read; the message says what would work."""


@dataclass(frozen=True)
class When:
    """A normalised WHEN: `text` is how copbot writes it back."""

    text: str

    @property
    def off(self) -> bool:
        """True for `off`."""
        return self.text == "off"

    def describe(self) -> str:
        """The WHEN in words: "every Monday at 09:00"."""
        words = self.text.split()
        if self.off:
            return "off"
        if words[0] in ("weekly", "biweekly"):
            every = "every" if words[0] == "weekly" else "every other"
            return f"{every} {DAY_NAMES[DAYS.index(words[1])]} at {words[2]}"
        if words[0] == "monthly":
            return f"on the {_ordinal(int(words[1]))} of every month at {words[2]}"
        if words[0] == "quarterly":
            return "quarterly: the first Monday of January, April, July and October at 10:00"
        return f"on the cron rule `{self.text}`"

    def timetable(self, zone: ZoneInfo, *, anchor: datetime) -> Timetable:
        """The fire times in a zone (biweekly: every other week from the first fire after `anchor`)."""
        assert not self.off, "an `off` schedule has no fire times"
        biweekly = self.text.startswith("biweekly")
        return Timetable(self.rule(zone), every_other_week_from=anchor if biweekly else None)

    def rule(self, zone: ZoneInfo) -> Cron:
        """The weekly, monthly, quarterly or cron rule under this WHEN (biweekly: the weekly one)."""
        words = self.text.split()
        if words[0] in ("weekly", "biweekly"):
            hour, minute = _time(words[2])
            return Cron.of(zone, day_of_week=words[1], hour=hour, minute=minute)
        if words[0] == "monthly":
            hour, minute = _time(words[2])
            return Cron.of(zone, day=int(words[1]), hour=hour, minute=minute)
        if words[0] == "quarterly":
            return Cron.of(zone, month="1,4,7,10", day="1-7", day_of_week="mon", hour=10, minute=0)
        return crontab(self.text, zone)


def parse_when(words: list[str]) -> When:
    """A WHEN from the words a coordinator typed (without the zone); WhenError lists the forms."""
    lowered = [word.lower() for word in words]
    if not lowered:
        raise WhenError(f"Say when. {forms_help()}")
    kind = lowered[0]
    if kind in ("off", "quarterly") and len(lowered) == 1:
        return When(kind)
    if kind in ("weekly", "biweekly"):
        if len(lowered) == 3 and lowered[1][:3] in DAYS and _is_day(lowered[1]) and TIME.fullmatch(lowered[2]):
            return When(f"{kind} {lowered[1][:3]} {_hhmm(lowered[2])}")
        raise WhenError(f"`{kind}` takes a day and a time, such as `{kind} mon 09:00`. {forms_help()}")
    if kind == "monthly":
        if (
            len(lowered) == 3
            and lowered[1].isascii()
            and lowered[1].isdigit()
            and 1 <= int(lowered[1]) <= 28
            and TIME.fullmatch(lowered[2])
        ):
            return When(f"monthly {int(lowered[1])} {_hhmm(lowered[2])}")
        raise WhenError(
            f"`monthly` takes a day of the month from 1 to 28 (so it comes every month) and a time, "
            f"such as `monthly 1 10:00`. {forms_help()}"
        )
    if len(lowered) == 5:
        return _cron(lowered)
    raise WhenError(f"I can't read `{' '.join(words)}` as a schedule. {forms_help()}")


def forms_help() -> str:
    """The WHEN forms, with examples."""
    return "Forms: " + "; ".join(f"`{form}` ({example})" for form, example in FORMS) + "."


def parse_zone(name: str) -> ZoneInfo:
    """An IANA time zone; WhenError names the closest zones when it is unknown."""
    try:
        if "/" in name or name.upper() == "UTC":
            return ZoneInfo(name if "/" in name else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        pass
    close = closest_zones(name)
    hint = f" Did you mean {', '.join(f'`{zone}`' for zone in close)}?" if close else ""
    raise WhenError(f"I don't know the time zone `{name}`.{hint} Zones are IANA names such as `Europe/Berlin`.")


def closest_zones(name: str, *, limit: int = 3) -> list[str]:
    """Zone names that look like `name` (a city alone finds its zone: `berlin` → `Europe/Berlin`)."""
    zones = _zones()
    wanted = name.strip().lower().replace(" ", "_")
    by_city = [zone for zone in zones if zone.lower().rsplit("/", 1)[-1] == wanted.rsplit("/", 1)[-1]]
    if by_city:
        return by_city[:limit]
    lowered = {zone.lower(): zone for zone in zones}
    return [lowered[match] for match in difflib.get_close_matches(wanted, list(lowered), n=limit, cutoff=0.5)]


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith("Etc/")))


class Timetable:
    """The fire times of a rule; for `biweekly`, every other week counted from the first fire after `anchor`."""

    def __init__(self, rule: Cron, *, every_other_week_from: datetime | None = None) -> None:
        self._rule = rule
        self.zone = rule.zone
        self._every_other_week = every_other_week_from is not None
        first = rule.first_from(every_other_week_from) if every_other_week_from is not None else None
        self._parity = _week_number(first.astimezone(self.zone).date()) % 2 if first is not None else 0

    def next_after(self, moment: datetime) -> datetime | None:
        """The first fire time strictly after `moment`."""
        fire = self._rule.first_after(moment)
        while fire is not None and not self._fires_on(fire):
            fire = self._rule.first_after(fire)
        return fire

    def next_runs(self, moment: datetime, count: int) -> list[datetime]:
        """The next `count` fire times after `moment`."""
        runs: list[datetime] = []
        fire = self.next_after(moment)
        while fire is not None and len(runs) < count:
            runs.append(fire)
            fire = self.next_after(fire)
        return runs

    def latest_at_or_before(self, moment: datetime) -> datetime | None:
        """The last fire time at or before `moment` (within two years), looking back in widening steps."""
        for back in (
            timedelta(hours=2),
            timedelta(days=2),
            timedelta(days=15),
            timedelta(days=63),
            timedelta(days=740),
        ):
            fire = self.next_after(moment - back)
            if fire is None or fire > moment:
                continue
            while True:
                following = self.next_after(fire)
                if following is None or following > moment:
                    return fire
                fire = following
        return None

    def previous_before(self, fire: datetime) -> datetime | None:
        """The fire time before `fire`: where the period that ends at `fire` began."""
        return self.latest_at_or_before(fire - timedelta(microseconds=1))

    def _fires_on(self, fire: datetime) -> bool:
        if not self._every_other_week:
            return True
        return _week_number(fire.astimezone(self.zone).date()) % 2 == self._parity


def _cron(fields: list[str]) -> When:
    expression = " ".join(fields)
    try:
        rule = crontab(expression, ZoneInfo("UTC"))
    except CrontabError as problem:
        raise WhenError(f"I can't read the cron expression `{expression}`: {problem}. {forms_help()}") from None
    if not rule.ever_fires():
        raise WhenError(f"The cron expression `{expression}` never fires. {forms_help()}")
    start = datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC"))
    fires = [rule.first_after(start)]
    while fires[-1] is not None and len(fires) < 48:
        fires.append(rule.first_after(fires[-1]))
    found = [fire for fire in fires if fire is not None]
    if any(later - earlier < SHORTEST_GAP for earlier, later in zip(found, found[1:], strict=False)):
        raise WhenError(f"`{expression}` fires more than once an hour; copbot's jobs run at most hourly.")
    return When(expression)


def _is_day(word: str) -> bool:
    return word[:3] in DAYS and DAY_NAMES[DAYS.index(word[:3])].lower().startswith(word)


def _hhmm(text: str) -> str:
    hour, minute = _time(text)
    return f"{hour:02d}:{minute:02d}"


def _time(text: str) -> tuple[int, int]:
    match = TIME.fullmatch(text)
    assert match is not None
    return int(match.group(1)), int(match.group(2))


def _week_number(day: date) -> int:
    return (day - EPOCH_MONDAY).days // 7


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
