"""WHEN forms, zones and the fire times they mean, daylight saving included."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from schedules.when import WhenError, closest_zones, parse_when, parse_zone

BERLIN = ZoneInfo("Europe/Berlin")
ANCHOR = datetime(2026, 1, 1, tzinfo=UTC)


def fires(
    words: str, *, after: datetime, count: int = 3, zone: ZoneInfo = BERLIN, anchor: datetime = ANCHOR
) -> list[str]:
    timetable = parse_when(words.split()).timetable(zone, anchor=anchor)
    return [fire.astimezone(UTC).strftime("%a %Y-%m-%d %H:%M") for fire in timetable.next_runs(after, count)]


@pytest.mark.parametrize(
    ("typed", "normalised", "words"),
    [
        ("weekly mon 09:00", "weekly mon 09:00", "every Monday at 09:00"),
        ("Weekly Monday 9:00", "weekly mon 09:00", "every Monday at 09:00"),
        ("biweekly fri 14:00", "biweekly fri 14:00", "every other Friday at 14:00"),
        ("monthly 1 10:00", "monthly 1 10:00", "on the 1st of every month at 10:00"),
        ("quarterly", "quarterly", "quarterly: the first Monday of January, April, July and October at 10:00"),
        ("0 9 * * 1-5", "0 9 * * 1-5", "on the cron rule `0 9 * * 1-5`"),
        ("off", "off", "off"),
    ],
)
def test_each_form_reads_and_says_itself_in_words(typed: str, normalised: str, words: str) -> None:
    when = parse_when(typed.split())
    assert when.text == normalised and when.describe() == words


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("weekly mon 9am", "`weekly` takes a day and a time"),
        ("weekly moon 09:00", "`weekly` takes a day and a time"),
        ("monthly 31 10:00", "from 1 to 28"),
        ("daily 09:00", "I can't read `daily 09:00` as a schedule"),
        ("*/10 * * * *", "more than once an hour"),
        ("0 9 31 2 *", "never fires"),
        ("0 25 * * *", "I can't read the cron expression"),
        ("", "Say when"),
    ],
)
def test_a_bad_when_gets_the_list_of_forms_with_an_example(typed: str, says: str) -> None:
    with pytest.raises(WhenError) as refused:
        parse_when(typed.split())
    assert says in str(refused.value)
    if says != "more than once an hour":
        assert "`weekly DAY HH:MM` (weekly mon 09:00)" in str(refused.value)


def test_an_unknown_zone_names_the_closest() -> None:
    assert parse_zone("Europe/Berlin") == BERLIN and parse_zone("utc") == ZoneInfo("UTC")
    with pytest.raises(WhenError, match=r"Did you mean `Europe/Berlin`\?"):
        parse_zone("Berlin")
    with pytest.raises(WhenError, match="Europe/Berlin"):
        parse_zone("Europe/Berln")
    assert closest_zones("new york") == ["America/New_York"]


def test_weekly_keeps_wall_clock_time_across_daylight_saving_in_spring_and_autumn() -> None:
    # Berlin moves to summer time on Sunday 29 March 2026 and back on Sunday 25 October 2026.
    assert fires("weekly mon 09:00", after=datetime(2026, 3, 20, tzinfo=UTC)) == [
        "Mon 2026-03-23 08:00",
        "Mon 2026-03-30 07:00",
        "Mon 2026-04-06 07:00",
    ]
    assert fires("weekly mon 09:00", after=datetime(2026, 10, 16, tzinfo=UTC), count=2) == [
        "Mon 2026-10-19 07:00",
        "Mon 2026-10-26 08:00",
    ]


def test_biweekly_runs_every_other_week_from_when_it_was_set() -> None:
    set_on_a_wednesday = datetime(2026, 3, 4, 12, tzinfo=UTC)
    assert fires("biweekly fri 14:00", after=set_on_a_wednesday, anchor=set_on_a_wednesday, zone=ZoneInfo("UTC")) == [
        "Fri 2026-03-06 14:00",
        "Fri 2026-03-20 14:00",
        "Fri 2026-04-03 14:00",
    ]
    a_week_later = datetime(2026, 3, 11, 12, tzinfo=UTC)
    assert fires(
        "biweekly fri 14:00", after=set_on_a_wednesday, anchor=a_week_later, zone=ZoneInfo("UTC"), count=1
    ) == ["Fri 2026-03-13 14:00"]


def test_quarterly_is_the_first_monday_of_each_quarter_at_ten() -> None:
    assert fires("quarterly", after=datetime(2026, 2, 1, tzinfo=UTC), count=4, zone=ZoneInfo("UTC")) == [
        "Mon 2026-04-06 10:00",
        "Mon 2026-07-06 10:00",
        "Mon 2026-10-05 10:00",
        "Mon 2027-01-04 10:00",
    ]


def test_cron_reads_like_crontab_sunday_is_zero_and_day_or_weekday() -> None:
    utc = ZoneInfo("UTC")
    assert fires("0 9 * * 0", after=datetime(2026, 3, 2, tzinfo=UTC), count=2, zone=utc) == [
        "Sun 2026-03-08 09:00",
        "Sun 2026-03-15 09:00",
    ]
    assert fires("0 9 * * 7", after=datetime(2026, 3, 2, tzinfo=UTC), count=1, zone=utc) == ["Sun 2026-03-08 09:00"]
    # Day of month 1 OR Monday, as crontab reads it (APScheduler alone would require both).
    assert fires("0 9 1 * mon", after=datetime(2026, 3, 24, tzinfo=UTC), count=3, zone=utc) == [
        "Mon 2026-03-30 09:00",
        "Wed 2026-04-01 09:00",
        "Mon 2026-04-06 09:00",
    ]


def test_the_latest_run_at_or_before_a_moment_and_the_one_before_it() -> None:
    timetable = parse_when("weekly mon 09:00".split()).timetable(ZoneInfo("UTC"), anchor=ANCHOR)
    latest = timetable.latest_at_or_before(datetime(2026, 3, 11, 12, tzinfo=UTC))
    assert latest == datetime(2026, 3, 9, 9, tzinfo=UTC)
    assert timetable.latest_at_or_before(latest) == latest
    assert timetable.previous_before(latest) == datetime(2026, 3, 2, 9, tzinfo=UTC)
    yearly = parse_when("0 9 1 1 *".split()).timetable(ZoneInfo("UTC"), anchor=ANCHOR)
    assert yearly.latest_at_or_before(datetime(2026, 12, 31, tzinfo=UTC)) == datetime(2026, 1, 1, 9, tzinfo=UTC)


def test_a_wall_time_that_occurs_twice_when_clocks_go_back_fires_once_and_every_search_ends() -> None:
    # 25 October 2026, Berlin: 02:00-03:00 happens twice (00:00-01:00 UTC in summer time, 01:00-02:00 in winter).
    assert fires("weekly sun 02:30", after=datetime(2026, 10, 24, tzinfo=UTC), count=2) == [
        "Sun 2026-10-25 00:30",
        "Sun 2026-11-01 01:30",
    ]
    timetable = parse_when("weekly sun 02:30".split()).timetable(BERLIN, anchor=ANCHOR)
    for hour in (0, 1, 2, 3):
        assert timetable.latest_at_or_before(datetime(2026, 10, 25, hour, 45, tzinfo=UTC)) == datetime(
            2026, 10, 25, 0, 30, tzinfo=UTC
        )
    hourly = [f[-5:] for f in fires("0 * * * *", after=datetime(2026, 10, 24, 23, 30, tzinfo=UTC), count=4)]
    assert hourly == ["00:00", "02:00", "03:00", "04:00"], "02:00 local once; the repeated hour is not run again"
    new_york = ZoneInfo("America/New_York")  # 1 November 2026: 01:00-02:00 happens twice there
    assert fires("weekly sun 01:30", after=datetime(2026, 10, 31, tzinfo=UTC), count=2, zone=new_york) == [
        "Sun 2026-11-01 05:30",
        "Sun 2026-11-08 06:30",
    ]


def test_a_wall_time_skipped_when_clocks_go_forward_fires_an_hour_later_that_day() -> None:
    # 29 March 2026, Berlin: 02:00-03:00 does not exist; 02:30 runs at 03:30 summer time.
    assert fires("weekly sun 02:30", after=datetime(2026, 3, 28, tzinfo=UTC), count=2) == [
        "Sun 2026-03-29 01:30",
        "Sun 2026-04-05 00:30",
    ]


def test_day_or_weekday_with_an_impossible_day_keeps_the_weekday() -> None:
    when = parse_when("0 9 30 2 1".split())  # 30 February (never) or Mondays in February: only Mondays are searched
    assert fires(when.text, after=datetime(2026, 1, 20, tzinfo=UTC), count=2, zone=ZoneInfo("UTC")) == [
        "Mon 2026-02-02 09:00",
        "Mon 2026-02-09 09:00",
    ]
