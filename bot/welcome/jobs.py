"""The welcome's scheduled job: raise newcomers nobody welcomed within a day."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.welcome.flow import escalate_unclaimed_welcomes
from schedules.spec import Occasion, WorkspaceJob


def run_reminders(session: Session, occasion: Occasion) -> str:
    """Raise newcomers nobody welcomed within 24 h to their coordinators."""
    raised = escalate_unclaimed_welcomes(session, occasion.due_at)
    return f"raised {raised} unclaimed welcome{'s' if raised != 1 else ''} to coordinators"


REMINDERS = WorkspaceJob(
    name="reminders",
    description="raise unclaimed welcomes to coordinators",
    cron="5 * * * *",
    period_format="%Y-%m-%dT%H",
    run=run_reminders,
)
JOBS = (REMINDERS,)
