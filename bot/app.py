"""The composition root: `create_app(settings)` builds everything copbot runs on."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock, SystemClock
from bot.communities.activity import MessageCounter
from bot.delivery import jobs as delivery_jobs
from bot.delivery.outbox import DIRTY_FLAG
from bot.delivery.worker import CHANNEL_PACE, DeliveryWorker
from bot.rhythms import jobs as rhythm_jobs
from bot.settings import Settings
from bot.slack.people import PeopleDirectory
from bot.welcome import jobs as welcome_jobs
from handlers import CopbotBolt, register_all
from handlers.activity import count_reply
from handlers.services import Modals, Services
from schedules.scheduler import CopbotScheduler
from storage.db import make_engine, make_read_session_factory, make_session_factory

WORKSPACE_JOBS = (*welcome_jobs.JOBS, *delivery_jobs.JOBS)
JOB_NAMES = tuple(job.name for job in (*WORKSPACE_JOBS, *rhythm_jobs.JOBS))
SLACK_TIMEOUT_SECONDS = 10
LOOKUP_TIMEOUT_SECONDS = 2  # users.info on the ack path must leave room in Slack's 3 seconds
STARTUP_TIMEOUT_SECONDS = 4  # auth.test at start: an unreachable Slack is reported in seconds


class _EnvironmentTokenNotice(logging.Filter):
    """Drops Bolt's "As you gave `client` as well, `token` will be unused.": Bolt reads SLACK_BOT_TOKEN from
    the environment even when it is given a client, and warns that it ignores it, which copbot means it to:
    the token reaches each request through `authorize`. Nothing else Bolt says is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


BOLT_LOG = logging.getLogger("copbot.bolt")
BOLT_LOG.addFilter(_EnvironmentTokenNotice())


@dataclass
class Copbot:
    """Everything one copbot process runs: Bolt app, database, delivery worker, scheduler."""

    settings: Settings
    clock: Clock
    engine: Engine
    sessions: sessionmaker[Session]
    client: WebClient
    bolt: App
    services: Services
    worker: DeliveryWorker
    scheduler: CopbotScheduler

    def start_background(self) -> None:
        """Start delivering queued messages and, unless turned off, the scheduler."""
        self.worker.start()
        if self.settings.scheduler:
            self.scheduler.start()

    def stop(self) -> None:
        """Stop background work and release the database."""
        self.scheduler.shutdown()
        self.worker.stop()
        self.engine.dispose()


def make_client(settings: Settings, *, timeout: float = SLACK_TIMEOUT_SECONDS, with_token: bool = True) -> WebClient:
    """A Web API client on `SLACK_API_URL`; delivery retries are the outbox's job, not the SDK's."""
    return WebClient(
        token=settings.slack_bot_token if with_token else None,
        base_url=settings.slack_api_url,
        timeout=int(timeout),
        retry_handlers=[],
    )


DELIVERY_SENDERS = 4  # Slack round trips the delivery worker overlaps (one message per lane at a time)


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    channel_pace: timedelta | None = None,
    senders: int = DELIVERY_SENDERS,
) -> Copbot:
    """Build the whole app; the only Slack call made here is `auth.test` (who we are, and the workspace's URL)."""
    clock = clock or SystemClock()
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    client = make_client(settings)
    identity = AuthorizeResult.from_auth_test_response(
        auth_test_response=make_client(settings, timeout=STARTUP_TIMEOUT_SECONDS).auth_test(),
        bot_token=settings.slack_bot_token,
    )
    quick_client = make_client(settings, timeout=LOOKUP_TIMEOUT_SECONDS)
    people = PeopleDirectory(client=quick_client, configured_admins=settings.admins)
    worker = DeliveryWorker(
        session_factory=sessions,
        read_sessions=make_read_session_factory(engine),
        senders=senders,
        client=client,
        clock=clock,
        channel_pace=CHANNEL_PACE if channel_pace is None else channel_pace,
        zone_of=people.zone_of,
    )
    _wake_worker_after_commits(sessions, worker)
    services = Services(
        sessions=sessions,
        reads=make_read_session_factory(engine),
        clock=clock,
        messages=MessageCounter(engine, clock, on_thread_reply=count_reply),
        people=people,
        modals=Modals(quick_client),
        command=settings.command,
        zone=settings.zone,
        greet_workspace_joiners=settings.greet_workspace_joiners,
        workspace_url=identity.url,
        bot_user_id=identity.bot_user_id,
    )
    bolt = CopbotBolt(
        services,
        signing_secret=settings.slack_signing_secret or "",
        client=make_client(settings, with_token=False),  # Bolt gives each request the token `authorize` returns
        authorize=lambda: identity,  # one workspace, one bot token: who we are was asked once, just above
        process_before_response=True,
        # bot.web checks each request's signature over the raw bytes, once, before anything is parsed;
        # CopbotBolt refuses an HTTP request that did not pass that check (Socket Mode carries none).
        request_verification_enabled=False,
        logger=BOLT_LOG,
    )
    register_all(bolt, services)
    return Copbot(
        settings=settings,
        clock=clock,
        engine=engine,
        sessions=sessions,
        client=client,
        bolt=bolt,
        services=services,
        worker=worker,
        scheduler=make_scheduler(settings, clock=clock, sessions=sessions, workspace_url=identity.url),
    )


def make_scheduler(
    settings: Settings, *, clock: Clock, sessions: sessionmaker[Session], workspace_url: str | None = None
) -> CopbotScheduler:
    """The scheduler with every feature's jobs (it starts firing them on `start`)."""
    return CopbotScheduler(
        zone=settings.zone,
        clock=clock,
        sessions=sessions,
        workspace_jobs=WORKSPACE_JOBS,
        community_jobs=rhythm_jobs.JOBS,
        workspace_url=workspace_url,
    )


def _wake_worker_after_commits(sessions: sessionmaker[Session], worker: DeliveryWorker) -> None:
    @event.listens_for(sessions, "after_commit")
    def _after_commit(session: Session) -> None:
        if session.info.pop(DIRTY_FLAG, False):
            worker.wake()

    @event.listens_for(sessions, "after_rollback")
    def _after_rollback(session: Session) -> None:
        session.info.pop(DIRTY_FLAG, None)
