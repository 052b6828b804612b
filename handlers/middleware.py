"""Global middleware: every request gets the copbot context; Events API retries change nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext, BoltResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import SeenEvent

if TYPE_CHECKING:
    from bot.app import Copbot

log = logging.getLogger(__name__)


def register(copbot: Copbot) -> None:
    """Install the global middleware on the Bolt app."""

    @copbot.bolt.middleware
    def provide_copbot(context: BoltContext, next: Callable[[], None]) -> None:
        context["copbot"] = copbot
        next()

    @copbot.bolt.middleware
    def skip_seen_events(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id is None:
            next()
            return None
        with copbot.sessions() as session:
            seen = session.scalar(select(SeenEvent.event_id).where(SeenEvent.event_id == event_id))
        if seen is not None:
            log.info("event %s was already handled; ignoring this delivery", event_id)
            return BoltResponse(status=200, body="")
        context["event_id"] = event_id
        next()
        return None


@contextmanager
def unit_of_work(context: BoltContext) -> Iterator[Session | None]:
    """A transaction for one request; for an event it also records the event id, atomically.

    Yields None when another delivery of the same event got there first: the
    caller then does nothing, so Slack's retries change nothing.
    """
    copbot: Copbot = context["copbot"]
    event_id = context.get("event_id")
    session = copbot.sessions()
    try:
        session.begin()
        if event_id is not None and not _record_event(session, event_id, copbot):
            yield None
            return
        yield session
        session.commit()
    except IntegrityError:
        session.rollback()
        if event_id is None or not _already_seen(copbot, event_id):
            raise
        log.info("event %s was handled by a concurrent delivery", event_id)
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _record_event(session: Session, event_id: str, copbot: Copbot) -> bool:
    try:
        with session.begin_nested():
            session.add(SeenEvent(event_id=event_id, seen_at=copbot.clock.now()))
    except IntegrityError:
        log.info("event %s was handled by a concurrent delivery", event_id)
        return False
    return True


def _already_seen(copbot: Copbot, event_id: str) -> bool:
    with copbot.sessions() as session:
        return session.scalar(select(SeenEvent.event_id).where(SeenEvent.event_id == event_id)) is not None
