"""How features declare the jobs copbot runs on its own. The scheduler runs them; it knows no feature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

WORKSPACE_SCOPE = "workspace"


@dataclass(frozen=True)
class Occasion:
    """One run of a job: the period it is for, and when it was due."""

    period: str  # the job-run ledger's key: each (job, scope, period) runs once
    due_at: datetime  # aware UTC
    forced: bool = False  # run again on request (`jobs run --force`): send now, whatever the hour


@dataclass(frozen=True)
class WorkspaceJob:
    """A job that runs for the whole workspace on a fixed cron, in `COPBOT_TIMEZONE`."""

    name: str
    description: str
    cron: str  # 5 fields: minute hour day month day-of-week
    period_format: str  # strftime of the local due time that names its period, e.g. "%Y-%m-%dT%H"
    run: Callable[[Session, Occasion], str]  # returns a one-line summary of what it did
