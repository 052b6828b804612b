"""APScheduler wired to copbot: explicit ids and time zones, started and stopped with the app."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from schedules.jobs import COMMUNITY_JOBS, GLOBAL_JOBS, JobSpec
from schedules.ledger import claim_run, finish_run

log = logging.getLogger(__name__)

GLOBAL_SCOPE = "workspace"


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

    def __init__(self, *, zone: ZoneInfo, clock: Clock, sessions: sessionmaker[Session]) -> None:
        self._zone = zone
        self._clock = clock
        self._sessions = sessions
        self._aps = BackgroundScheduler(
            timezone=self._zone,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        )
        for spec in GLOBAL_JOBS.values():
            self._aps.add_job(
                self._run_on_trigger,
                trigger=spec.trigger(self._zone),
                args=[spec.name],
                id=spec.name,
                name=spec.description,
                replace_existing=True,
            )

    def start(self) -> None:
        """Start firing jobs on their triggers."""
        if not self._aps.running:
            self._aps.start()

    def shutdown(self) -> None:
        """Stop firing jobs; a job already running finishes."""
        if self._aps.running:
            self._aps.shutdown(wait=True)

    def planned(self) -> list[PlannedJob]:
        """Every scheduled job with its next run time."""
        now = self._clock.now().astimezone(self._zone)
        return [
            PlannedJob(job.id, job.name, job.trigger.get_next_fire_time(None, now))
            for job in sorted(self._aps.get_jobs(), key=lambda job: job.id)
        ]

    def run(self, name: str, *, force: bool = False, at: datetime | None = None) -> list[JobResult]:
        """Run a job now (as of `at`); without `force` a period already done is skipped."""
        spec = GLOBAL_JOBS.get(name)
        if spec is None:
            if name in COMMUNITY_JOBS:
                raise UnknownJob(f"the {name} job is not available in this version of copbot yet")
            known = ", ".join([*GLOBAL_JOBS, *COMMUNITY_JOBS])
            raise UnknownJob(f"unknown job {name!r}; jobs are: {known}")
        return [self._run_once(spec, at or self._clock.now(), force=force)]

    def run_due_between(self, start: datetime, end: datetime) -> list[JobResult]:
        """Run every job whose trigger fired in (start, end], as if the scheduler had been running."""
        results: list[JobResult] = []
        for job in sorted(self._aps.get_jobs(), key=lambda job: job.id):
            spec = GLOBAL_JOBS[job.id]
            fire = job.trigger.get_next_fire_time(None, (start + timedelta(microseconds=1)).astimezone(self._zone))
            while fire is not None and fire <= end:
                results.append(self._run_once(spec, fire, force=False))
                fire = job.trigger.get_next_fire_time(fire, fire)
        return results

    def _run_on_trigger(self, name: str) -> None:
        result = self._run_once(GLOBAL_JOBS[name], self._clock.now(), force=False)
        log.info("job %s %s: %s", result.job, result.period, result.summary)

    def _run_once(self, spec: JobSpec, at: datetime, *, force: bool) -> JobResult:
        period = spec.period(at.astimezone(self._zone))
        with self._sessions() as session, session.begin():
            if not claim_run(session, job=spec.name, scope=GLOBAL_SCOPE, period=period, now=at, force=force):
                return JobResult(spec.name, GLOBAL_SCOPE, period, False, "already done for this period")
            summary = spec.run(session, at)
            finish_run(session, job=spec.name, scope=GLOBAL_SCOPE, period=period, now=at, summary=summary)
        return JobResult(spec.name, GLOBAL_SCOPE, period, True, summary)
