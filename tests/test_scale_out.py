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
            port = free_port()
            env = {
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(ROOT),
                "SLACK_BOT_TOKEN": standin.token,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": standin.url,
                "DATABASE_URL": postgres_url,
                "HOST": "127.0.0.1",
                "PORT": str(port),
            }
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve"],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            processes.append(process)
            wait_healthy(port, process)
            senders.append(SignedSender(url=f"http://127.0.0.1:{port}/slack/events", secret=SECRET))
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
