"""Scheduled jobs: each (job, period) runs once across processes; the welcome reminder escalates once."""

from __future__ import annotations

import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import WORKSPACE_JOBS
from bot.clock import ManualClock
from schedules.ledger import claim_run
from schedules.scheduler import CopbotScheduler
from storage.models import JobRun, OutboxMessage, Role, RoleAssignment, WelcomeAlert
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
    assert reminders is not None and reminders > clock.now() and str(reminders.tzinfo) == "Europe/Berlin"
