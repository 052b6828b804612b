"""Job definitions: what runs, on which trigger, for which period. Jobs call domain functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.welcome.flow import escalate_unclaimed_welcomes
from storage.db import rows_changed
from storage.models import SeenEvent

SEEN_EVENTS_KEPT = timedelta(days=7)


@dataclass(frozen=True)
class JobSpec:
    """A job copbot runs on its own, workspace-wide."""

    name: str
    description: str
    trigger: Callable[[ZoneInfo], BaseTrigger]
    period: Callable[[datetime], str]
    run: Callable[[Session, datetime], str]


def _hour(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H")


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def run_reminders(session: Session, now: datetime) -> str:
    """Raise newcomers nobody welcomed within 24 h to their coordinators."""
    raised = escalate_unclaimed_welcomes(session, now)
    return f"raised {raised} unclaimed welcome{'s' if raised != 1 else ''} to coordinators"


def run_housekeeping(session: Session, now: datetime) -> str:
    """Forget event ids older than Slack's retry window (hours) by a wide margin."""
    result = session.execute(delete(SeenEvent).where(SeenEvent.seen_at < now - SEEN_EVENTS_KEPT))
    forgotten = rows_changed(result)
    return f"forgot {forgotten} event ids older than {SEEN_EVENTS_KEPT.days} days"


GLOBAL_JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in (
        JobSpec(
            name="reminders",
            description="raise unclaimed welcomes to coordinators",
            trigger=lambda zone: CronTrigger(minute=5, timezone=zone),
            period=_hour,
            run=run_reminders,
        ),
        JobSpec(
            name="housekeeping",
            description="forget old Slack event ids",
            trigger=lambda zone: CronTrigger(hour=3, minute=30, timezone=zone),
            period=_day,
            run=run_housekeeping,
        ),
    )
}
COMMUNITY_JOBS = ("digest", "prompt", "checkin", "survey")
