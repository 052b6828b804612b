"""The composition root: `create_app(settings)` builds everything copbot runs on."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.delivery.outbox import DIRTY_FLAG
from bot.delivery.worker import CHANNEL_PACE, DeliveryWorker
from bot.settings import Settings
from bot.slack.people import PeopleDirectory
from schedules.scheduler import CopbotScheduler
from storage.db import make_engine, make_session_factory

SLACK_TIMEOUT_SECONDS = 10
LOOKUP_TIMEOUT_SECONDS = 2  # users.info on the ack path must leave room in Slack's 3 seconds


@dataclass
class Copbot:
    """Everything one copbot process runs: Bolt app, database, delivery worker, scheduler."""

    settings: Settings
    clock: Clock
    engine: Engine
    sessions: sessionmaker[Session]
    client: WebClient
    bolt: App
    people: PeopleDirectory
    ack_client: WebClient  # short timeout: the Slack calls made while Slack waits for our answer
    worker: DeliveryWorker
    scheduler: CopbotScheduler | None = None
    command_routes: dict[str, Any] = field(default_factory=dict)

    def start_background(self) -> None:
        """Start delivering queued messages and, unless turned off, the scheduler."""
        self.worker.start()
        if self.scheduler is not None and self.settings.scheduler:
            self.scheduler.start()

    def stop(self) -> None:
        """Stop background work and release the database."""
        if self.scheduler is not None:
            self.scheduler.shutdown()
        self.worker.stop()
        self.engine.dispose()


def make_client(settings: Settings, *, timeout: float = SLACK_TIMEOUT_SECONDS) -> WebClient:
    """A Web API client on `SLACK_API_URL`; delivery retries are the outbox's job, not the SDK's."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=int(timeout),
        retry_handlers=[],
    )


def create_app(settings: Settings, *, clock: Clock | None = None, channel_pace: timedelta | None = None) -> Copbot:
    """Build the whole app; the only Slack call made here is Bolt's `auth.test`."""
    from handlers import register_all

    clock = clock or SystemClock()
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    client = make_client(settings)
    bolt = App(
        signing_secret=settings.slack_signing_secret or "",
        client=client,
        process_before_response=True,
        logger=logging.getLogger("copbot.bolt"),
    )
    quick_client = make_client(settings, timeout=LOOKUP_TIMEOUT_SECONDS)
    worker = DeliveryWorker(
        session_factory=sessions,
        client=client,
        clock=clock,
        channel_pace=CHANNEL_PACE if channel_pace is None else channel_pace,
    )
    _wake_worker_after_commits(sessions, worker)
    copbot = Copbot(
        settings=settings,
        clock=clock,
        engine=engine,
        sessions=sessions,
        client=client,
        bolt=bolt,
        people=PeopleDirectory(client=quick_client, configured_admins=settings.admins),
        ack_client=quick_client,
        worker=worker,
    )
    copbot.scheduler = CopbotScheduler(zone=settings.zone, clock=clock, sessions=sessions)
    register_all(copbot)
    return copbot


def _wake_worker_after_commits(sessions: sessionmaker[Session], worker: DeliveryWorker) -> None:
    @event.listens_for(sessions, "after_commit")
    def _after_commit(session: Session) -> None:
        if session.info.pop(DIRTY_FLAG, False):
            worker.wake()

    @event.listens_for(sessions, "after_rollback")
    def _after_rollback(session: Session) -> None:
        session.info.pop(DIRTY_FLAG, None)
