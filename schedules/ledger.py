"""The job-run ledger: each (job, scope, period) runs once, however many processes try."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import JobRun


def claim_run(session: Session, *, job: str, scope: str, period: str, now: datetime, force: bool = False) -> bool:
    """Record that this process runs the job for the period; False when it already ran (and not forced)."""
    try:
        with session.begin_nested():
            session.add(JobRun(job=job, scope=scope, period=period, started_at=now, runs=1, summary=""))
        return True
    except IntegrityError:
        if not force:
            return False
    session.execute(
        update(JobRun)
        .where(JobRun.job == job, JobRun.scope == scope, JobRun.period == period)
        .values(runs=JobRun.runs + 1, started_at=now, finished_at=None)
    )
    return True


def finish_run(session: Session, *, job: str, scope: str, period: str, now: datetime, summary: str) -> None:
    """Mark the run done with a one-line summary."""
    session.execute(
        update(JobRun)
        .where(JobRun.job == job, JobRun.scope == scope, JobRun.period == period)
        .values(finished_at=now, summary=summary)
    )


def last_run(session: Session, *, job: str, scope: str) -> JobRun | None:
    """The latest run of a job in a scope."""
    return session.scalar(
        select(JobRun).where(JobRun.job == job, JobRun.scope == scope).order_by(JobRun.started_at.desc()).limit(1)
    )
