"""Events API deliveries already handled: Slack retries a delivery it thinks failed, and a retry must change nothing.

Slack retries a delivery three times within about five minutes (at once, after a minute, after
five); an event id is kept an hour, well past that. At a hundred messages a second that is
360,000 rows, not the tens of millions a week's keep would be. Ids are forgotten a little at a
time: each batch of counted messages takes a few expired ids with it (`forget_some_events`), so
no large delete ever holds the write lock; the daily housekeeping sweeps what is left, in chunks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.db import rows_changed
from storage.models import SeenEvent

SEEN_EVENTS_KEPT = timedelta(hours=1)
FORGET_CHUNK = 5_000
FORGET_PER_RUN = 200_000


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


_FORGET = delete(SeenEvent).where(
    SeenEvent.event_id.in_(
        select(SeenEvent.event_id)
        .where(SeenEvent.seen_at < bindparam("cutoff"))
        .limit(bindparam("limit"))
        .scalar_subquery()
    )
)


def forget_some_events(connection: Session | Connection, *, now: datetime, limit: int) -> int:
    """Forget at most `limit` event ids past their keep; how many went."""
    return rows_changed(connection.execute(_FORGET, {"cutoff": now - SEEN_EVENTS_KEPT, "limit": limit}))


def forget_old_events(session: Session, now: datetime) -> str:
    """Forget event ids past their keep, in chunks (at most FORGET_PER_RUN); a housekeeping job."""
    forgotten = 0
    while forgotten < FORGET_PER_RUN and (went := forget_some_events(session, now=now, limit=FORGET_CHUNK)):
        forgotten += went
    return f"forgot {forgotten} event ids older than an hour"
