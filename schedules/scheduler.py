"""APScheduler wired to copbot: explicit ids and time zones, started and stopped with the app.

Every job is declared by its feature (`schedules.spec`) and handed over by the composition
root; each (job, scope, period) runs once across processes, re-runs and restarts, because
it is claimed in the job-run ledger in the same transaction as whatever it queues.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from schedules.ledger import claim_run, finish_run
from schedules.spec import WORKSPACE_SCOPE, Occasion, WorkspaceJob
from schedules.triggers import BackgroundRunner, Cron, crontab

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlannedJob:
    """A scheduled job and when it runs next."""

    job_id: str
    description: str
    next_run: datetime | None


@dataclass(frozen=True)
class JobResult:
    """What one run of a job did (or why it did not run)."""

    job: str
    scope: str
    period: str
    ran: bool
    summary: str


class UnknownJob(ValueError):
    """A job name copbot does not know."""


class CopbotScheduler:
    """Runs copbot's jobs on their triggers; each (job, scope, period) once across processes."""

    def __init__(
        self, *, zone: ZoneInfo, clock: Clock, sessions: sessionmaker[Session], workspace_jobs: Sequence[WorkspaceJob]
    ) -> None:
        self._zone = zone
        self._clock = clock
        self._sessions = sessions
        self._workspace_jobs = {job.name: job for job in workspace_jobs}
        self._crons = {job.name: crontab(job.cron, zone) for job in workspace_jobs}
        self._runner = BackgroundRunner(zone)
        for job in workspace_jobs:
            self._runner.add_cron(job.name, job.description, self._crons[job.name], partial(self._run_on_trigger, job))

    @property
    def job_names(self) -> list[str]:
        """Every job `run` accepts."""
        return list(self._workspace_jobs)

    def start(self) -> None:
        """Start firing jobs on their triggers."""
        self._runner.start()

    def shutdown(self) -> None:
        """Stop firing jobs; a job already running finishes."""
        self._runner.shutdown()

    def planned(self) -> list[PlannedJob]:
        """Every scheduled job with its next run time."""
        now = self._clock.now().astimezone(self._zone)
        return [
            PlannedJob(name, job.description, self._crons[name].first_after(now))
            for name, job in sorted(self._workspace_jobs.items())
        ]

    def run(self, name: str, *, force: bool = False, at: datetime | None = None) -> list[JobResult]:
        """Run a job now (as of `at`); without `force` a period already done is skipped."""
        job = self._workspace_jobs.get(name)
        if job is None:
            known = ", ".join(self.job_names)
            raise UnknownJob(f"unknown job {name!r}; jobs are: {known}")
        return [self._run_workspace_job(job, at or self._clock.now(), force=force)]

    def run_due_between(self, start: datetime, end: datetime) -> list[JobResult]:
        """Run every job whose trigger fired in (start, end], in time order, as if the scheduler had been running."""
        due: list[tuple[datetime, WorkspaceJob]] = []
        for name, job in self._workspace_jobs.items():
            due.extend((fire, job) for fire in _fires_between(self._crons[name], start, end))
        return [self._run_workspace_job(job, fire, force=False) for fire, job in sorted(due, key=lambda d: d[0])]

    def _run_on_trigger(self, job: WorkspaceJob) -> None:
        result = self._run_workspace_job(job, self._clock.now(), force=False)
        log.info("job %s %s: %s", result.job, result.period, result.summary)

    def _run_workspace_job(self, job: WorkspaceJob, at: datetime, *, force: bool) -> JobResult:
        occasion = Occasion(period=at.astimezone(self._zone).strftime(job.period_format), due_at=at, forced=force)
        with self._sessions() as session, session.begin():
            if not claim_run(session, job=job.name, scope=WORKSPACE_SCOPE, period=occasion.period, now=at, force=force):
                return JobResult(job.name, WORKSPACE_SCOPE, occasion.period, False, "already done for this period")
            summary = job.run(session, occasion)
            finish_run(session, job=job.name, scope=WORKSPACE_SCOPE, period=occasion.period, now=at, summary=summary)
        return JobResult(job.name, WORKSPACE_SCOPE, occasion.period, True, summary)


def _fires_between(cron: Cron, start: datetime, end: datetime) -> list[datetime]:
    fires: list[datetime] = []
    fire = cron.first_after(start)
    while fire is not None and fire <= end:
        fires.append(fire)
        fire = cron.first_after(fire)
    return fires
