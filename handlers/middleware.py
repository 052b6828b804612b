"""Global middleware and the unit of work: Events API retries change nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.slack.events import record_event, was_handled
from bot.slack.markup import scrub_control_characters
from handlers.services import Services

log = logging.getLogger(__name__)


def register(bolt: App, services: Services) -> None:
    """Install the global middleware on the Bolt app."""

    @bolt.middleware
    def before_listeners(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        # One middleware, not two: each costs Bolt an argument inspection on every request.
        if body.get("type") != "event_callback":
            # What people type (commands, forms, shortcuts) is stored: no control characters get that far.
            # Events are left alone: copbot keeps their ids (shaped as Slack's: bot.slack.ids), never their text.
            scrub_control_characters(body)
            if body.get("type") == "view_submission" and (body.get("view") or {}).get("id"):
                # A form whose submission was stored is not stored again (a double click, a replay):
                # the view id is recorded with the change, like an event id; a refused one is not.
                context["event_id"] = f"view:{body['view']['id']}"
            next()
            return None
        event_id = body.get("event_id")  # (message events never get here: see handlers.activity)
        if event_id is None:
            next()
            return None
        with services.reads() as session:
            seen = was_handled(session, event_id)
        if seen:
            log.info("event %s was already handled; ignoring this delivery", event_id)
            return BoltResponse(status=200, body="")
        context["event_id"] = event_id
        next()
        return None


@contextmanager
def unit_of_work(services: Services, context: BoltContext, *, reads: bool = False) -> Iterator[Session | None]:
    """A transaction for one request; for an event (or a form submission) it also records its id, atomically.

    Yields None when another delivery of the same event got there first: the
    caller then does nothing, so Slack's retries change nothing. With `reads`, the unit only
    reads (a command that shows something): it never waits for a writer, and records nothing.
    """
    event_id: str | None = None if reads else context.get("event_id")
    session = (services.reads if reads else services.sessions)()
    try:
        session.begin()
        if event_id is not None and not record_event(session, event_id, now=services.clock.now()):
            log.info("event %s was handled by a concurrent delivery", event_id)
            yield None
            return
        yield session
        session.commit()
    except IntegrityError:
        session.rollback()
        if event_id is None or not _handled_elsewhere(services, event_id):
            raise
        log.info("event %s was handled by a concurrent delivery", event_id)
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _handled_elsewhere(services: Services, event_id: str) -> bool:
    with services.reads() as session:
        return was_handled(session, event_id)
