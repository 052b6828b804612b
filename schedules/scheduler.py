"""APScheduler wired to copbot: explicit ids and time zones, started and stopped with the app.

Jobs are declared by their features (`schedules.spec`) and handed over by the composition root.
Workspace jobs run on fixed crons in COPBOT_TIMEZONE; community jobs on each community's stored
schedule. One APScheduler job per process looks about once a minute for jobs that have come due,
so a schedule changed in one process is seen by every process within a minute. A run is claimed
in the job-run ledger in the same transaction as whatever it queues, so each (job, scope, period)
runs once across processes, `jobs run` and restarts; after downtime only the latest missed period
of each job goes out (prompts only up to their `catch_up`), never a flood. The APScheduler job
store is in memory, one per process: its FAQ forbids sharing one between processes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from schedules.ledger import claim_run, finish_run
from schedules.spec import (
    WORKSPACE_SCOPE,
    CommunityJob,
    CommunityOccasion,
    Occasion,
    WorkspaceJob,
    community_period,
    community_scope,
)
from schedules.stored import CommunitySchedule, live_schedules
from schedules.triggers import BackgroundRunner, crontab
from schedules.when import Timetable
from storage.models import Community, JobRun

log = logging.getLogger(__name__)
SCAN_SECONDS = 60.0
Key = tuple[str, str, str]  # (job, scope, period): what the ledger runs once


@dataclass(frozen=True)
class PlannedJob:
    """A scheduled job (of the workspace, or of one community) and when it runs next."""

    job: str
    community: str | None
    description: str
    when: str  # the schedule in words
    next_run: datetime | None  # None: off
    zone: ZoneInfo  # the schedule's zone, to show the next run in


@dataclass(frozen=True)
class JobResult:
    """What one run of a job did (or why it did not run)."""

    job: str
    scope: str
    period: str
    ran: bool
    summary: str
    community: str | None = None


class UnknownJob(ValueError):
    """A job or community copbot does not know, or a combination that makes no sense; the message says which."""


class CopbotScheduler:
    """Runs copbot's jobs on their schedules; each (job, scope, period) once across processes."""

    def __init__(
        self,
        *,
        zone: ZoneInfo,
        clock: Clock,
        sessions: sessionmaker[Session],
        workspace_jobs: Sequence[WorkspaceJob],
        community_jobs: Sequence[CommunityJob] = (),
        workspace_url: str | None = None,
    ) -> None:
        self._zone = zone
        self._workspace_url = workspace_url
        self._clock = clock
        self._sessions = sessions
        self._workspace_jobs = {job.name: job for job in workspace_jobs}
        self._community_jobs = {job.name: job for job in community_jobs}
        self._workspace_times = {job.name: Timetable(crontab(job.cron, zone)) for job in workspace_jobs}
        self._settled: set[Key] = set()  # runs of the current periods known to be done
        # Each community schedule's latest fire time and the one after it, so a minute's scan computes little.
        self._fires: dict[tuple[int, str, str, str, datetime], tuple[datetime, datetime | None]] = {}
        self._runner = BackgroundRunner(zone)

    @property
    def job_names(self) -> list[str]:
        """Every job `run` accepts, community jobs first."""
        return [*self._community_jobs, *self._workspace_jobs]

    @property
    def community_jobs(self) -> list[CommunityJob]:
        """The community jobs, in the order they were declared."""
        return list(self._community_jobs.values())

    def start(self) -> None:
        """Look for jobs that have come due now, then about once a minute."""
        self._runner.add_every(
            "due-jobs", "run the jobs that have come due", SCAN_SECONDS, self._scan, first=self._clock.now()
        )
        self._runner.start()

    def shutdown(self) -> None:
        """Stop looking; a run in progress finishes."""
        self._runner.shutdown()

    def planned(self) -> list[PlannedJob]:
        """Every job with its next run time: the workspace's, then each live community's."""
        now = self._clock.now()
        planned = [
            PlannedJob(
                name,
                None,
                job.description,
                f"cron `{job.cron}` ({self._zone.key})",
                self._workspace_times[name].next_after(now),
                self._zone,
            )
            for name, job in self._workspace_jobs.items()
        ]
        with self._sessions() as session:
            schedules = live_schedules(session, self.community_jobs, default_zone=self._zone)
        for schedule in schedules:
            timetable = schedule.timetable()
            words = schedule.when.describe() + ("" if schedule.when.off else f" ({schedule.zone.key})")
            next_run = timetable.next_after(now) if timetable is not None else None
            planned.append(
                PlannedJob(
                    schedule.job.name, schedule.community_name, schedule.job.description, words, next_run, schedule.zone
                )
            )
        return planned

    def run(
        self, name: str, *, community: str | None = None, force: bool = False, at: datetime | None = None
    ) -> list[JobResult]:
        """Run a job now for its current period (a community job: for one or every live community).

        Without `force` a period already done is skipped; with it, the period runs again.
        """
        now = at or self._clock.now()
        if name in self._workspace_jobs:
            if community is not None:
                raise UnknownJob(f"{name} is a workspace job; --community applies to {', '.join(self._community_jobs)}")
            job = self._workspace_jobs[name]
            fire = self._workspace_times[name].latest_at_or_before(now) or now
            return [self._run_workspace_job(job, fire, now=now, force=force)]
        community_job = self._community_jobs.get(name)
        if community_job is None:
            raise UnknownJob(f"unknown job {name!r}; jobs are: {', '.join(self.job_names)}")
        with self._sessions() as session:
            schedules = live_schedules(session, [community_job], default_zone=self._zone)
            if community is not None:
                schedules = [s for s in schedules if s.community_name == community]
                if not schedules:
                    raise UnknownJob(self._unknown_community(session, community))
        return [self._run_current(schedule, now, force=force) for schedule in schedules]

    def run_due(self, now: datetime | None = None) -> list[JobResult]:
        """Run every job whose latest due time has come and is not done yet: what the minute's scan does."""
        now = now or self._clock.now()
        workspace: list[tuple[WorkspaceJob, datetime]] = []
        for name, job in self._workspace_jobs.items():
            fire = self._workspace_times[name].latest_at_or_before(now)
            if fire is not None:
                workspace.append((job, fire))
        with self._sessions() as session:
            schedules = live_schedules(session, self.community_jobs, default_zone=self._zone)
        community: list[tuple[CommunitySchedule, datetime]] = []
        self._fires = {
            key: fires for key, fires in self._fires.items() if key in {self._fire_key(s) for s in schedules}
        }
        for schedule in schedules:
            fire = self._latest_fire(schedule, now)
            if fire is None or fire < schedule.anchor:
                continue
            if schedule.job.catch_up is not None and now - fire > schedule.job.catch_up:
                continue
            community.append((schedule, fire))
        current = {self._workspace_key(job, fire) for job, fire in workspace}
        current |= {self._community_key(schedule, fire) for schedule, fire in community}
        self._settled &= current  # only the current periods matter from now on
        self._settle_from_ledger([key for key in current if key not in self._settled])
        results = [
            self._run_workspace_job(job, fire, now=now, force=False)
            for job, fire in workspace
            if self._workspace_key(job, fire) not in self._settled
        ]
        for schedule, fire in community:
            if self._community_key(schedule, fire) not in self._settled:
                timetable = schedule.timetable()
                assert timetable is not None
                since = timetable.previous_before(fire)
                results.append(self._run_community_job(schedule, fire, since=since, now=now, force=False))
        return results

    def run_due_between(self, start: datetime, end: datetime) -> list[JobResult]:
        """Run every job that came due in (start, end], in time order, as if the scheduler had been running."""
        due: list[tuple[datetime, WorkspaceJob | tuple[CommunitySchedule, datetime | None]]] = []
        for name, job in self._workspace_jobs.items():
            due.extend((fire, job) for fire in _fires_between(self._workspace_times[name], start, end))
        with self._sessions() as session:
            schedules = live_schedules(session, self.community_jobs, default_zone=self._zone)
        for schedule in schedules:
            timetable = schedule.timetable()
            if timetable is None:
                continue
            for fire in _fires_between(timetable, max(start, schedule.anchor - timedelta(microseconds=1)), end):
                due.append((fire, (schedule, timetable.previous_before(fire))))
        results = []
        for fire, what in sorted(due, key=lambda item: item[0]):
            if isinstance(what, WorkspaceJob):
                results.append(self._run_workspace_job(what, fire, now=fire, force=False))
            else:
                schedule, since = what
                results.append(self._run_community_job(schedule, fire, since=since, now=fire, force=False))
        return results

    def next_due_after(self, moment: datetime) -> datetime | None:
        """When the next job of any kind comes due after `moment` (for stepping a simulated clock)."""
        times = [timetable.next_after(moment) for timetable in self._workspace_times.values()]
        with self._sessions() as session:
            schedules = live_schedules(session, self.community_jobs, default_zone=self._zone)
        for schedule in schedules:
            timetable = schedule.timetable()
            if timetable is not None:
                times.append(timetable.next_after(max(moment, schedule.anchor - timedelta(microseconds=1))))
        found = [time for time in times if time is not None]
        return min(found) if found else None

    def _scan(self) -> None:
        for result in self.run_due():
            where = f" for {result.community}" if result.community else ""
            log.info("job %s%s %s: %s", result.job, where, result.period, result.summary)

    def _run_current(self, schedule: CommunitySchedule, now: datetime, *, force: bool) -> JobResult:
        """`jobs run`: the period of the latest due time, whether or not the scheduler reached it."""
        scope, name = community_scope(schedule.community_id), schedule.community_name
        timetable = schedule.timetable()
        if timetable is None:
            return JobResult(schedule.job.name, scope, "-", False, "its schedule is off", name)
        fire = timetable.latest_at_or_before(now)
        if fire is None:
            return JobResult(schedule.job.name, scope, "-", False, "nothing has come due yet", name)
        return self._run_community_job(schedule, fire, since=timetable.previous_before(fire), now=now, force=force)

    def _run_workspace_job(self, job: WorkspaceJob, at: datetime, *, now: datetime, force: bool) -> JobResult:
        occasion = Occasion(period=self._workspace_period(job, at), due_at=at, now=now, forced=force)
        with self._sessions() as session, session.begin():
            if not claim_run(
                session, job=job.name, scope=WORKSPACE_SCOPE, period=occasion.period, now=now, force=force
            ):
                self._settled.add((job.name, WORKSPACE_SCOPE, occasion.period))
                return JobResult(job.name, WORKSPACE_SCOPE, occasion.period, False, "already done for this period")
            summary = job.run(session, occasion)
            finish_run(session, job=job.name, scope=WORKSPACE_SCOPE, period=occasion.period, now=now, summary=summary)
        self._settled.add((job.name, WORKSPACE_SCOPE, occasion.period))
        return JobResult(job.name, WORKSPACE_SCOPE, occasion.period, True, summary)

    def _run_community_job(
        self, schedule: CommunitySchedule, fire: datetime, *, since: datetime | None, now: datetime, force: bool
    ) -> JobResult:
        job, scope = schedule.job, community_scope(schedule.community_id)
        occasion = CommunityOccasion(
            period=community_period(fire),
            due_at=fire,
            now=now,
            forced=force,
            since=since,
            zone=schedule.zone,
            schedule=f"{schedule.when.describe()} ({schedule.zone.key})",
            workspace_url=self._workspace_url,
        )
        name = schedule.community_name
        with self._sessions() as session, session.begin():
            community = session.get(Community, schedule.community_id)
            if community is None or community.archived_at is not None:
                return JobResult(job.name, scope, occasion.period, False, "the community is archived", name)
            if not claim_run(session, job=job.name, scope=scope, period=occasion.period, now=now, force=force):
                self._settled.add((job.name, scope, occasion.period))
                return JobResult(job.name, scope, occasion.period, False, "already done for this period", name)
            summary = job.run(session, community, occasion)
            finish_run(session, job=job.name, scope=scope, period=occasion.period, now=now, summary=summary)
        self._settled.add((job.name, scope, occasion.period))
        return JobResult(job.name, scope, occasion.period, True, summary, name)

    def _latest_fire(self, schedule: CommunitySchedule, now: datetime) -> datetime | None:
        """The schedule's latest fire time at or before now, remembered until its next one comes."""
        key = self._fire_key(schedule)
        remembered = self._fires.get(key)
        if remembered is not None and remembered[0] <= now and (remembered[1] is None or now < remembered[1]):
            return remembered[0]
        timetable = schedule.timetable()
        if timetable is None:
            return None
        latest = timetable.latest_at_or_before(now)
        if latest is not None:
            self._fires[key] = (latest, timetable.next_after(latest))
        return latest

    @staticmethod
    def _fire_key(schedule: CommunitySchedule) -> tuple[int, str, str, str, datetime]:
        return schedule.community_id, schedule.job.name, schedule.when.text, schedule.zone.key, schedule.anchor

    def _workspace_period(self, job: WorkspaceJob, fire: datetime) -> str:
        return fire.astimezone(self._zone).strftime(job.period_format)

    def _workspace_key(self, job: WorkspaceJob, fire: datetime) -> Key:
        return job.name, WORKSPACE_SCOPE, self._workspace_period(job, fire)

    def _community_key(self, schedule: CommunitySchedule, fire: datetime) -> Key:
        return schedule.job.name, community_scope(schedule.community_id), community_period(fire)

    def _settle_from_ledger(self, keys: list[Key]) -> None:
        """Remember which of these runs the ledger already has (one query for all of them)."""
        if not keys:
            return
        with self._sessions() as session:
            done = session.execute(
                select(JobRun.job, JobRun.scope, JobRun.period).where(
                    tuple_(JobRun.job, JobRun.scope, JobRun.period).in_(keys)
                )
            ).all()
        self._settled.update((job, scope, period) for job, scope, period in done)

    def _unknown_community(self, session: Session, name: str) -> str:
        archived = session.scalar(
            select(Community.id).where(Community.name == name, Community.archived_at.is_not(None))
        )
        if archived is not None:
            return f"the community {name!r} is archived; its jobs do not run"
        return f"there is no community called {name!r} (see `copbot jobs list` for the communities)"


def _fires_between(timetable: Timetable, start: datetime, end: datetime) -> list[datetime]:
    fires: list[datetime] = []
    fire = timetable.next_after(start)
    while fire is not None and fire <= end:
        fires.append(fire)
        fire = timetable.next_after(fire)
    return fires
