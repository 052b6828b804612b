"""Housekeeping of what copbot keeps about Slack deliveries."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.slack.events import forget_old_events
from schedules.spec import Occasion, WorkspaceJob


def run_housekeeping(session: Session, occasion: Occasion) -> str:
    """Forget old Slack event ids."""
    return forget_old_events(session, occasion.due_at)


HOUSEKEEPING = WorkspaceJob(
    name="housekeeping",
    description="forget old Slack event ids",
    cron="30 3 * * *",
    period_format="%Y-%m-%d",
    run=run_housekeeping,
)
JOBS = (HOUSEKEEPING,)
