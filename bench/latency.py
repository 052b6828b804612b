"""Latency of `/cop help` and of a channel message event, copbot versus a bare Bolt app.

Both run on the same waitress server set-up against the same Slack stand-in, in
the same process and run, so the difference is what copbot adds (database
transaction, permission check, event de-duplication).
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

from bench.serve import SECRET, bare_app
from bot.app import create_app
from bot.sandbox.standin import SignedSender, SlackStandin
from bot.settings import Settings
from bot.web import SERVER_THREADS, start_http_server
from storage.migrate import upgrade


@contextmanager
def bare_bolt(standin: SlackStandin) -> Iterator[str]:
    """A minimal Bolt app answering `/cop` and counting nothing, on waitress."""
    app = bare_app(standin.url, token=standin.token)
    server = create_server(
        SlackRequestHandler(app), host="127.0.0.1", port=0, threads=SERVER_THREADS, asyncore_loop_timeout=0.05
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}/slack/events"
    server.task_dispatcher.shutdown(timeout=5)  # no worker writes to a socket after this
    server.close()


@contextmanager
def copbot_app(standin: SlackStandin) -> Iterator[str]:
    """copbot on a fresh SQLite database, on waitress."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            slack_bot_token=standin.token,
            slack_signing_secret=SECRET,
            slack_api_url=standin.url,
            database_url=f"sqlite:///{tmp}/bench.db",
            scheduler=False,
        )
        copbot = create_app(settings)
        upgrade(copbot.engine)
        server = start_http_server(copbot)
        try:
            yield f"{server.url}/slack/events"
        finally:
            server.stop()
            copbot.stop()


def measure(send: Callable[[int], int], requests: int) -> list[float]:
    """Milliseconds per request; every answer must be HTTP 200."""
    timings = []
    for index in range(requests):
        started = time.perf_counter()
        status = send(index)
        timings.append((time.perf_counter() - started) * 1000)
        assert status == 200, f"request {index} got HTTP {status}"
    return timings


def describe(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"{name:<48} p50 {statistics.median(ordered):6.2f} ms   p95 {p95:6.2f} ms   max {ordered[-1]:6.2f} ms"


def command_sender(slack: SignedSender, text: str) -> Callable[[int], int]:
    """Send `/cop TEXT` as alice; returns the HTTP status."""

    def send(_index: int) -> int:
        return slack.command("/cop", text, user_id="U_ALICE", channel_id="C_GENERAL").status

    return send


def event_sender(slack: SignedSender, prefix: str) -> Callable[[int], int]:
    """Send a distinct channel message event per call; returns the HTTP status."""

    def send(index: int) -> int:
        event = {
            "type": "message",
            "channel": "C_GENERAL",
            "user": "U_BOB",
            "text": "hi",
            "ts": f"{1_700_000_000 + index}.000100",
        }
        return slack.event(event, event_id=f"EvBench{prefix}{index}").status

    return send


def run(requests: int) -> None:
    """Time `/cop help` and a message event through bare Bolt and copbot."""
    with SlackStandin() as standin:
        for name, server in (("bare Bolt", bare_bolt), ("copbot", copbot_app)):
            with server(standin) as url:
                slack = SignedSender(url=url, secret=SECRET)
                measure(command_sender(slack, "help"), 20)  # warm up
                print(describe(f"{name}: /cop help", measure(command_sender(slack, "help"), requests)))
                print(describe(f"{name}: message event", measure(event_sender(slack, name[0]), requests)))
