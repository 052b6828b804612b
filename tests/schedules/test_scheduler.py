"""Scheduled jobs: each (job, period) runs once across processes; the welcome reminder escalates once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import WORKSPACE_JOBS
from bot.clock import ManualClock
from bot.communities.lifecycle import archive_community, unarchive_community
from bot.rhythms import jobs as rhythm_jobs
from schedules.ledger import claim_run
from schedules.scheduler import CopbotScheduler
from schedules.stored import set_schedule
from schedules.when import parse_when
from storage.models import Community, DiscussionPrompt, JobRun, OutboxMessage, Role, RoleAssignment, WelcomeAlert
from tests.factories import add_community, add_member


def make_scheduler(sessions: sessionmaker[Session], clock: ManualClock) -> CopbotScheduler:
    return CopbotScheduler(
        zone=ZoneInfo("Europe/Berlin"), clock=clock, sessions=sessions, workspace_jobs=WORKSPACE_JOBS
    )


def test_a_period_runs_once_unless_forced(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    with sessions.begin() as session:
        assert claim_run(session, job="digest", scope="community:1", period="2026-W10", now=clock.now())
    with sessions.begin() as session:
        assert not claim_run(session, job="digest", scope="community:1", period="2026-W10", now=clock.now())
    with sessions.begin() as session:
        assert claim_run(session, job="digest", scope="community:1", period="2026-W10", now=clock.now(), force=True)
    with sessions() as session:
        assert session.scalar(select(JobRun.runs)) == 2


def test_several_processes_racing_for_a_period_run_it_once(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    schedulers = [make_scheduler(sessions, clock) for _ in range(4)]
    results: list[bool] = []

    def run(scheduler: CopbotScheduler) -> None:
        results.extend(result.ran for result in scheduler.run("reminders"))

    threads = [threading.Thread(target=run, args=(scheduler,)) for scheduler in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]


def test_unclaimed_welcome_is_raised_to_coordinators_once_after_a_day(
    sessions: sessionmaker[Session], clock: ManualClock
) -> None:
    with sessions.begin() as session:
        community = add_community(session, name="python", coordinator="U_ADMIN", now=clock.now())
        session.add(
            RoleAssignment(
                community_id=community.id,
                user_id="U_CAROL",
                role=Role.COORDINATOR,
                assigned_by="U_ADMIN",
                assigned_at=clock.now(),
            )
        )
        membership = add_member(session, community=community, user_id="U_BOB", now=clock.now())
        session.add(
            WelcomeAlert(
                membership_id=membership.id, community_id=community.id, newcomer_id="U_BOB", created_at=clock.now()
            )
        )
    scheduler = make_scheduler(sessions, clock)
    start = clock.now()
    clock.advance(timedelta(hours=23))
    scheduler.run_due_between(start, clock.now())
    with sessions() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.method == "chat.postMessage")
            )
            == 0
        ), "not before 24 h"
    middle = clock.now()
    clock.advance(timedelta(days=3))
    results = scheduler.run_due_between(middle, clock.now())
    assert [r.summary for r in results if r.job == "reminders" and r.summary.startswith("raised 1")] == [
        "raised 1 unclaimed welcome to coordinators"
    ]
    with sessions() as session:
        recipients = sorted(
            session.scalars(select(OutboxMessage.channel).where(OutboxMessage.method == "chat.postMessage"))
        )
        alert = session.scalar(select(WelcomeAlert))
    assert recipients == ["U_ADMIN", "U_CAROL"]
    assert alert is not None and alert.escalated_at is not None


def test_claimed_or_departed_newcomers_are_not_raised(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    with sessions.begin() as session:
        community = add_community(session, name="python", now=clock.now())
        claimed = add_member(session, community=community, user_id="U_BOB", now=clock.now())
        departed = add_member(session, community=community, user_id="U_DAN", now=clock.now())
        departed.left_at = clock.now()
        session.add(
            WelcomeAlert(
                membership_id=claimed.id,
                community_id=community.id,
                newcomer_id="U_BOB",
                created_at=clock.now(),
                claimed_by="U_CAROL",
                claimed_at=clock.now(),
            )
        )
        session.add(
            WelcomeAlert(
                membership_id=departed.id, community_id=community.id, newcomer_id="U_DAN", created_at=clock.now()
            )
        )
    clock.advance(timedelta(days=2))
    make_scheduler(sessions, clock).run("reminders")
    with sessions() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.method == "chat.postMessage")
            )
            == 0
        )


def test_planned_jobs_have_next_run_times_in_the_configured_zone(
    sessions: sessionmaker[Session], clock: ManualClock
) -> None:
    planned = {job.job: job for job in make_scheduler(sessions, clock).planned() if job.community is None}
    assert set(planned) == {"reminders", "housekeeping"}
    reminders = planned["reminders"].next_run
    assert reminders is not None and reminders > clock.now() and planned["reminders"].zone == ZoneInfo("Europe/Berlin")


# Community jobs: each community's stored schedule, once per period across processes and restarts.

MONDAY_0900 = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def community_scheduler(sessions: sessionmaker[Session], clock: ManualClock, zone: str = "UTC") -> CopbotScheduler:
    return CopbotScheduler(
        zone=ZoneInfo(zone),
        clock=clock,
        sessions=sessions,
        workspace_jobs=WORKSPACE_JOBS,
        community_jobs=rhythm_jobs.JOBS,
    )


def sent(sessions: sessionmaker[Session], kind: str) -> list[str]:
    with sessions() as session:
        return list(
            session.scalars(select(OutboxMessage.channel).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id))
        )


def with_python(
    sessions: sessionmaker[Session], created: datetime, *, coordinators: tuple[str, ...] = ("U_ADMIN",)
) -> int:
    with sessions.begin() as session:
        community = add_community(session, name="python", coordinator=coordinators[0], now=created)
        for other in coordinators[1:]:
            session.add(
                RoleAssignment(
                    community_id=community.id,
                    user_id=other,
                    role=Role.COORDINATOR,
                    assigned_by="U_ADMIN",
                    assigned_at=created,
                )
            )
        return community.id


def set_when(
    sessions: sessionmaker[Session], community_id: int, job: str, when: str, *, at: datetime, zone: str | None = None
) -> None:
    with sessions.begin() as session:
        community = session.get(Community, community_id)
        assert community is not None
        set_schedule(
            session,
            community,
            rhythm_jobs.BY_NAME[job],
            when=parse_when(when.split()),
            zone=ZoneInfo(zone) if zone else None,
            by="U_ADMIN",
            now=at,
            default_zone=ZoneInfo("UTC"),
        )


def test_a_due_digest_runs_once_however_often_the_scheduler_looks(sessions: sessionmaker[Session]) -> None:
    clock = ManualClock(MONDAY_0900 - timedelta(days=10))
    with_python(sessions, clock.now(), coordinators=("U_ADMIN", "U_CAROL"))
    scheduler = community_scheduler(sessions, clock)
    clock.advance(timedelta(days=10, minutes=1))
    first = [r for r in scheduler.run_due() if r.job == "digest"]
    assert [(r.ran, r.summary) for r in first] == [(True, "sent the digest to 2 coordinators")]
    assert [r for r in scheduler.run_due() if r.job == "digest"] == []
    assert [r.summary for r in community_scheduler(sessions, clock).run_due() if r.job == "digest"] == []
    assert sent(sessions, "digest") == ["U_ADMIN", "U_CAROL"]
    [manual] = scheduler.run("digest", community="python")
    assert not manual.ran and manual.summary == "already done for this period"
    [forced] = scheduler.run("digest", community="python", force=True)
    assert forced.ran and sent(sessions, "digest") == ["U_ADMIN", "U_CAROL", "U_ADMIN", "U_CAROL"]


def test_after_downtime_only_the_latest_missed_period_goes_out(sessions: sessionmaker[Session]) -> None:
    clock = ManualClock(MONDAY_0900 - timedelta(days=30))
    with_python(sessions, clock.now())
    clock.advance(timedelta(days=30, hours=50))  # nobody ran for weeks; now Wednesday 11:00
    results = [r for r in community_scheduler(sessions, clock).run_due() if r.job == "digest"]
    assert [(r.period, r.ran) for r in results] == [("2026-03-09T09:00Z", True)]
    assert sent(sessions, "digest") == ["U_ADMIN"]


def test_a_prompt_missed_by_more_than_twelve_hours_waits_for_its_next_time(sessions: sessionmaker[Session]) -> None:
    wednesday_1000 = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)
    clock = ManualClock(wednesday_1000 - timedelta(days=3))
    community_id = with_python(sessions, clock.now())
    with sessions.begin() as session:
        session.add(
            DiscussionPrompt(
                community_id=community_id, text="What broke?", queued_by="U_ADMIN", queued_at=clock.now(), reply_count=0
            )
        )
    clock.advance(timedelta(days=3, hours=13))
    assert [r for r in community_scheduler(sessions, clock).run_due() if r.job == "prompt"] == []
    clock.advance(timedelta(days=7) - timedelta(hours=2))  # next Wednesday, 11 hours late
    [posted] = [r for r in community_scheduler(sessions, clock).run_due() if r.job == "prompt"]
    assert posted.ran and posted.summary.startswith("posted “What broke?”")
    assert sent(sessions, "discussion_prompt") == ["C_PYTHON"]


def test_nothing_due_before_a_schedule_was_set_runs_and_archived_communities_run_nothing(
    sessions: sessionmaker[Session],
) -> None:
    clock = ManualClock(MONDAY_0900 - timedelta(days=14))
    community_id = with_python(sessions, clock.now())
    scheduler = community_scheduler(sessions, clock)
    set_when(sessions, community_id, "checkin", "weekly mon 09:00", at=MONDAY_0900 + timedelta(minutes=30))
    clock.advance(timedelta(days=14, hours=1))
    assert [r.job for r in scheduler.run_due() if r.job == "checkin"] == [], "09:00 came before the schedule (09:30)"
    with sessions.begin() as session:
        community = session.get(Community, community_id)
        assert community is not None
        archive_community(session, community, now=clock.now())
    clock.advance(timedelta(days=7))
    assert [r for r in scheduler.run_due() if r.community] == []


def test_a_schedule_changed_in_one_process_is_followed_by_another_without_a_restart(
    sessions: sessionmaker[Session],
) -> None:
    clock = ManualClock(MONDAY_0900 - timedelta(days=10))
    community_id = with_python(sessions, clock.now())
    other_process = community_scheduler(sessions, clock)
    clock.advance(timedelta(days=10, hours=2))  # Monday 11:00: this week's digest is due
    set_when(sessions, community_id, "digest", "weekly tue 08:00", at=clock.now())
    assert [r for r in other_process.run_due() if r.job == "digest"] == [], "the Monday digest no longer applies"
    clock.advance(timedelta(hours=21, minutes=1))  # Tuesday 08:01
    [digest] = [r for r in other_process.run_due() if r.job == "digest"]
    assert digest.period == "2026-03-10T08:00Z" and digest.ran


def test_three_processes_racing_for_one_period_send_one_digest_per_coordinator(sessions: sessionmaker[Session]) -> None:
    clock = ManualClock(MONDAY_0900 - timedelta(days=10))
    with_python(sessions, clock.now(), coordinators=("U_ADMIN", "U_CAROL"))
    clock.advance(timedelta(days=10, minutes=1))
    schedulers = [community_scheduler(sessions, clock) for _ in range(3)]
    outcomes: list[bool] = []

    def run(scheduler: CopbotScheduler) -> None:
        outcomes.extend(result.ran for result in scheduler.run("digest"))

    threads = [threading.Thread(target=run, args=(scheduler,)) for scheduler in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, False, True]
    assert sent(sessions, "digest") == ["U_ADMIN", "U_CAROL"]


def test_weekly_mon_0900_berlin_fires_at_0900_local_across_daylight_saving(sessions: sessionmaker[Session]) -> None:
    clock = ManualClock(datetime(2026, 3, 16, 12, tzinfo=UTC))
    community_id = with_python(sessions, clock.now())
    set_when(sessions, community_id, "digest", "weekly mon 09:00", at=clock.now(), zone="Europe/Berlin")
    scheduler = community_scheduler(sessions, clock)
    start = clock.now()
    clock.advance(timedelta(days=21))
    ran = [r.period for r in scheduler.run_due_between(start, clock.now()) if r.job == "digest"]
    # 23 March is winter time (UTC+1), 30 March and 6 April summer time (UTC+2): 09:00 in Berlin each week.
    assert ran == ["2026-03-23T08:00Z", "2026-03-30T07:00Z", "2026-04-06T07:00Z"]


def test_planned_shows_every_communitys_jobs_with_their_next_runs(sessions: sessionmaker[Session]) -> None:
    clock = ManualClock(MONDAY_0900 - timedelta(days=1))
    community_id = with_python(sessions, clock.now())
    set_when(sessions, community_id, "survey", "off", at=clock.now())
    planned = {(job.community, job.job): job for job in community_scheduler(sessions, clock).planned()}
    assert planned[("python", "digest")].next_run == MONDAY_0900
    assert planned[("python", "checkin")].next_run is None and planned[("python", "checkin")].when == "off"
    assert planned[("python", "survey")].when == "off"
    assert planned[(None, "reminders")].next_run is not None


def test_setting_the_same_biweekly_schedule_again_keeps_its_weeks(sessions: sessionmaker[Session]) -> None:
    clock = ManualClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    community_id = with_python(sessions, clock.now())
    set_when(sessions, community_id, "prompt", "biweekly wed 10:00", at=clock.now())
    clock.advance(timedelta(days=3))
    set_when(sessions, community_id, "prompt", "biweekly wed 10:00", at=clock.now())
    planned = {(job.community, job.job): job for job in community_scheduler(sessions, clock).planned()}
    assert planned[("python", "prompt")].next_run == datetime(2026, 3, 18, 10, tzinfo=UTC), "4 March, then 18 March"


def test_an_unarchived_community_runs_nothing_it_missed_while_archived_then_keeps_its_rhythm(
    sessions: sessionmaker[Session],
) -> None:
    clock = ManualClock(MONDAY_0900 - timedelta(days=10))
    community_id = with_python(sessions, clock.now())
    scheduler = community_scheduler(sessions, clock)
    with sessions.begin() as session:
        community = session.get(Community, community_id)
        assert community is not None
        archive_community(session, community, now=clock.now())
    clock.advance(timedelta(days=10, hours=3))  # Monday 12:00: a digest came due while it was archived
    assert [r for r in scheduler.run_due() if r.community] == []
    with sessions.begin() as session:
        community = session.get(Community, community_id)
        assert community is not None
        unarchive_community(session, community, now=clock.now())
    assert [r for r in scheduler.run_due() if r.job == "digest"] == [], "this morning's digest was missed, not owed"
    clock.advance(timedelta(days=7))
    [digest] = [r for r in scheduler.run_due() if r.job == "digest"]
    assert digest.ran and digest.period == "2026-03-16T09:00Z"
