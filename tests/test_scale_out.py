"""Two `copbot serve` processes on one PostgreSQL database: every welcome is sent exactly once."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.clock import SystemClock
from bot.sandbox.standin import SignedSender, SlackStandin
from storage.db import make_engine, make_session_factory
from storage.models import Role, RoleAssignment
from tests.factories import add_community

ROOT = Path(__file__).resolve().parents[1]
SECRET = "scale-out-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "copbot serve exited early"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("copbot serve did not become healthy")


def serve(
    database_url: str, standin: SlackStandin, tmp_path: Path, *, scheduler: bool = True
) -> tuple[subprocess.Popen[bytes], SignedSender]:
    """Start `copbot serve` on its own port and wait until it is healthy."""
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": standin.token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": standin.url,
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "COPBOT_SCHEDULER": "on" if scheduler else "off",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_healthy(port, process)
    return process, SignedSender(url=f"http://127.0.0.1:{port}/slack/events", secret=SECRET)


@pytest.fixture
def two_replicas(postgres_url: str, tmp_path: Path) -> Iterator[tuple[SlackStandin, list[SignedSender]]]:
    engine = make_engine(postgres_url)
    with make_session_factory(engine).begin() as session:
        community = add_community(
            session, name="python", channel_id="C_PYTHON", coordinator="U_ADMIN", now=SystemClock().now()
        )
        session.add(
            RoleAssignment(
                community_id=community.id,
                user_id="U_CAROL",
                role=Role.SUPPORT,
                assigned_by="U_ADMIN",
                assigned_at=SystemClock().now(),
            )
        )
    engine.dispose()
    with SlackStandin() as standin:
        processes, senders = [], []
        for _ in range(2):
            process, sender = serve(postgres_url, standin, tmp_path)
            processes.append(process)
            senders.append(sender)
        try:
            yield standin, senders
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(10)


def test_two_processes_welcome_each_newcomer_once(two_replicas: tuple[SlackStandin, list[SignedSender]]) -> None:
    standin, (first, second) = two_replicas
    joined = {"type": "member_joined_channel", "user": "U_BOB", "channel": "C_PYTHON", "channel_type": "C"}
    calls = [
        lambda: first.event(joined, event_id="EvScale1"),
        lambda: second.event(
            joined,
            event_id="EvScale1",
        ),  # Slack's retry reaching the other replica
        lambda: first.command("/cop", "join python", user_id="U_DAN", channel_id="C_GENERAL"),
        lambda: second.command("/cop", "join python", user_id="U_DAN", channel_id="C_GENERAL"),
    ]
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deadline = time.monotonic() + 15
    while len(standin.messages_to("U_CAROL")) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.5)  # room for a wrong second delivery by the other process to show up
    assert len(standin.messages_to("U_BOB")) == 1
    assert len(standin.messages_to("U_DAN")) == 1
    assert len(standin.messages_to("U_CAROL")) == 2, "one alert per newcomer"


EVENTS = 2_000
USERS = ("U_ALICE", "U_BOB", "U_CAROL", "U_DAN")


def test_counts_stay_exact_across_two_processes_duplicates_retries_and_a_kill(
    database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    with make_session_factory(engine).begin() as session:
        add_community(session, name="python", channel_id="C_PYTHON", coordinator="U_ADMIN", now=SystemClock().now())
    with SlackStandin() as standin:
        (doomed, first), (survivor, second) = (
            serve(database_url, standin, tmp_path, scheduler=False),
            serve(database_url, standin, tmp_path, scheduler=False),
        )
        acked: set[int] = set()
        lock = threading.Lock()

        def deliver(number: int) -> None:
            """Slack's delivery of one event: to one process, again to the other for some (a retry racing
            the first), and again until a process acknowledges it (the killed one no longer can)."""
            event = {
                "type": "message",
                "channel": "C_PYTHON",
                "user": USERS[number % len(USERS)],
                "text": "never stored",
                "ts": f"{1772442000 + number}.000100",
            }
            targets = [first, second] if number % 2 else [second, first]
            attempts = targets[: 2 if number % 4 == 0 else 1]
            for attempt in range(20):
                target = attempts[attempt] if attempt < len(attempts) else second
                try:
                    if target.event(event, event_id=f"EvExact{number}").status == 200:
                        with lock:
                            acked.add(number)
                        if attempt + 1 >= len(attempts):
                            return
                except OSError:
                    continue  # the process is gone: Slack tries again

        def deliver_range(numbers: range) -> None:
            for number in numbers:
                deliver(number)

        def kill_midway() -> None:
            while len(acked) < EVENTS // 3:
                time.sleep(0.01)
            with lock:  # SIGKILL while requests are in flight: no clean shutdown
                acked_before_kill = len(acked)
                doomed.kill()
            doomed.wait(10)
            # Every event acknowledged before the kill is counted already (and others since, by the survivor).
            assert _counted(engine) >= acked_before_kill
            killed.set()

        killed = threading.Event()
        senders = [threading.Thread(target=deliver_range, args=(range(n, EVENTS, 8),)) for n in range(8)]
        killer = threading.Thread(target=kill_midway)
        for thread in [killer, *senders]:
            thread.start()
        for thread in [killer, *senders]:
            thread.join()
        assert killed.is_set()
        survivor.terminate()
        survivor.wait(10)
    assert len(acked) == EVENTS
    assert _counted(engine) == EVENTS
    assert _counted(engine, "U_ALICE") == EVENTS // len(USERS)
    engine.dispose()


def _counted(engine: object, user: str | None = None) -> int:
    from sqlalchemy import func, select

    from storage.models import ActivityCount

    query = select(func.coalesce(func.sum(ActivityCount.messages), 0))
    if user is not None:
        query = query.where(ActivityCount.user_id == user)
    with make_session_factory(engine).begin() as session:  # type: ignore[arg-type]
        return int(session.scalar(query) or 0)
