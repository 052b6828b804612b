"""Events API deliveries already handled: Slack retries a delivery it thinks failed, and a retry must change nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.db import rows_changed
from storage.models import SeenEvent

SEEN_EVENTS_KEPT = timedelta(days=7)  # Slack retries for hours at most


def was_handled(session: Session, event_id: str) -> bool:
    """True when a delivery of this event has already been handled (committed)."""
    return session.scalar(select(SeenEvent.event_id).where(SeenEvent.event_id == event_id)) is not None


def record_event(session: Session, event_id: str, *, now: datetime) -> bool:
    """Record the event in the handler's transaction; False when a concurrent delivery recorded it first."""
    try:
        with session.begin_nested():
            session.add(SeenEvent(event_id=event_id, seen_at=now))
    except IntegrityError:
        return False
    return True


def forget_old_events(session: Session, now: datetime) -> str:
    """Forget event ids older than Slack's retry window (hours) by a wide margin; a housekeeping job."""
    forgotten = rows_changed(session.execute(delete(SeenEvent).where(SeenEvent.seen_at < now - SEEN_EVENTS_KEPT)))
    return f"forgot {forgotten} event ids older than {SEEN_EVENTS_KEPT.days} days"
