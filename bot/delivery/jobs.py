"""Housekeeping of what copbot keeps about Slack deliveries: old event ids, and sent messages nothing updates."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.delivery.outbox import prune_finished
from bot.slack.events import forget_old_events
from schedules.spec import Occasion, WorkspaceJob


def run_housekeeping(session: Session, occasion: Occasion) -> str:
    """Forget old Slack event ids and prune the outbox."""
    events = forget_old_events(session, occasion.due_at)
    pruned = prune_finished(session, now=occasion.due_at)
    return f"{events}; pruned {pruned} delivered messages nothing refers to any more"


HOUSEKEEPING = WorkspaceJob(
    name="housekeeping",
    description="forget old Slack event ids, prune delivered messages",
    cron="30 3 * * *",
    period_format="%Y-%m-%d",
    run=run_housekeeping,
)
JOBS = (HOUSEKEEPING,)
