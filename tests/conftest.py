"""Fixtures: fresh databases (SQLite and PostgreSQL), the Slack stand-in, and a guard against real Slack."""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.app import Copbot, create_app
from bot.clock import ManualClock
from bot.delivery.worker import DeliveryReport
from bot.sandbox.standin import RecordedCall, SlackStandin
from bot.sandbox.standin.requests import AppResponse, SignedSender
from bot.settings import Settings
from bot.web import RunningServer, start_http_server
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade

PG_SERVER_URL = os.environ.get("COPBOT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


class RealNetworkRefused(AssertionError):
    """A test tried to reach a host that is not on this machine (such as the real Slack)."""


@pytest.fixture(autouse=True)
def refuse_real_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that connects anywhere but loopback: no test may reach the real Slack."""
    original_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and self.family in (socket.AF_INET, socket.AF_INET6):
            if not ipaddress.ip_address(host).is_loopback:
                raise RealNetworkRefused(f"test tried to connect to {address!r}; use the Slack stand-in")
        return original_connect(self, address)

    def guarded_getaddrinfo(host: str, *args: object, **kwargs: object) -> object:
        if host and host.endswith("slack.com"):
            raise RealNetworkRefused(f"test tried to reach {host}; use the Slack stand-in")
        return real_getaddrinfo(host, *args, **kwargs)

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture(autouse=True)
def no_traceback_logged(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test whose run logged a traceback, unless it is marked as provoking one on purpose.

    Hostile input gets a clear answer, never a stack trace; a traceback in the log is a bug somewhere.
    """
    yield
    if request.node.get_closest_marker("traceback_expected"):
        return
    logged = [record for when in ("setup", "call") for record in caplog.get_records(when) if record.exc_info]
    assert not logged, "tracebacks logged: " + "; ".join(f"{r.name}: {r.getMessage()}" for r in logged)


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when the test says so."""
    return ManualClock(START)


@pytest.fixture
def sqlite_url(tmp_path: object) -> str:
    """A fresh SQLite database file, migrated."""
    url = f"sqlite:///{tmp_path}/copbot.db"  # type: ignore[str-bytes-safe]
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema on the real PostgreSQL server, migrated, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER_URL)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # the suite must say why, not skip silently
        pytest.fail(f"PostgreSQL at {PG_SERVER_URL} is not reachable: {exc}")
    url = f"{PG_SERVER_URL}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """The same test on SQLite and on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the parametrised database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory on the parametrised database."""
    return make_session_factory(engine)


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    """An engine on a fresh, migrated SQLite database."""
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_sessions(sqlite_engine: Engine) -> sessionmaker[Session]:
    """A session factory on a fresh SQLite database (domain tests)."""
    return make_session_factory(sqlite_engine)


SIGNING_SECRET = "test-signing-secret"
SETTING_NAMES = (
    "SLACK_BOT_TOKEN SLACK_SIGNING_SECRET SLACK_APP_TOKEN SLACK_API_URL DATABASE_URL HOST PORT COPBOT_ADMINS "
    "COPBOT_TIMEZONE COPBOT_SCHEDULER COPBOT_COMMAND COPBOT_GREET_WORKSPACE_JOINERS"
).split()


@pytest.fixture(autouse=True)
def clean_settings_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read the developer's settings: no copbot variables, and no `.env` in the working directory."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture
def standin() -> Iterator[SlackStandin]:
    """The local Slack Web API stand-in, on a free port."""
    with SlackStandin() as running:
        yield running


@dataclass
class RunningCopbot:
    """The real app served over HTTP, talking to the stand-in; `slack` sends it signed requests."""

    copbot: Copbot
    standin: SlackStandin
    server: RunningServer
    slack: SignedSender
    clock: ManualClock

    def deliver(self, *, max_passes: int = 200) -> DeliveryReport:
        """Deliver everything queued, moving the clock over pacing and retry waits."""
        total = DeliveryReport()
        for _ in range(max_passes):
            report = self.copbot.worker.deliver_due()
            total.sent += report.sent
            total.failed += report.failed
            if report.touched:
                continue
            next_due = self.copbot.worker.next_due_at()
            if next_due is None:
                return total
            self.clock.advance(max(next_due - self.clock.now(), timedelta(seconds=1)))
        raise AssertionError("messages still waiting after many delivery passes")

    def replies(self) -> list[RecordedCall]:
        """The private answers to clicks (response_url posts) so far, once everything queued is delivered."""
        self.deliver()
        return self.standin.calls_to("response_url")

    def command(self, text: str, *, user: str = "U_ALICE", channel: str = "C_GENERAL") -> AppResponse:
        """Type `/cop TEXT` as a user in a channel."""
        return self.slack.command(self.copbot.settings.command, text, user_id=user, channel_id=channel)


def make_settings(database_url: str, standin: SlackStandin, **overrides: object) -> Settings:
    """Settings for a test app on the stand-in."""
    values: dict[str, object] = {
        "slack_bot_token": standin.token,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": standin.url,
        "database_url": database_url,
        "scheduler": False,
        "admins": frozenset({"U_ADMIN"}),
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def running(sqlite_url: str, standin: SlackStandin, clock: ManualClock) -> Iterator[RunningCopbot]:
    """copbot on SQLite, served over HTTP on a free port."""
    yield from _serve(sqlite_url, standin, clock)


@pytest.fixture
def running_on_postgres(postgres_url: str, standin: SlackStandin, clock: ManualClock) -> Iterator[RunningCopbot]:
    """copbot on PostgreSQL, served over HTTP on a free port."""
    yield from _serve(postgres_url, standin, clock)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def either(request: pytest.FixtureRequest) -> RunningCopbot:
    """The app on SQLite (writers serialised by BEGIN IMMEDIATE) and on PostgreSQL (truly concurrent)."""
    return request.getfixturevalue("running" if request.param == "sqlite" else "running_on_postgres")


def _serve(database_url: str, standin: SlackStandin, clock: ManualClock) -> Iterator[RunningCopbot]:
    copbot = create_app(make_settings(database_url, standin), clock=clock)
    server = start_http_server(copbot)
    sender = SignedSender(url=f"{server.url}/slack/events", secret=SIGNING_SECRET)
    try:
        yield RunningCopbot(copbot=copbot, standin=standin, server=server, slack=sender, clock=clock)
    finally:
        server.stop()
        copbot.stop()
        assert standin.violations == [], f"Block Kit limits broken: {standin.violations}"
