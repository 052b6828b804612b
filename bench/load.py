"""Load: 16 concurrent clients against copbot (SQLite, PostgreSQL) and a bare Bolt app, in one run.

Each server runs in a process of its own (`bench.serve`) on the same waitress set-up; the clients
are threads here, each keeping one HTTP connection. A round sends `/cop list` for a while, then
message events for a while; three rounds interleave the servers (bare, copbot on SQLite, copbot on
PostgreSQL, bare, …) and the report gives each figure's median over the rounds: p50 and p99 of
`/cop list` and of message events, and events a second.

Then: another process holds SQLite's write lock for 10 s, and `/cop help`, `/cop list`, `/healthz`
and a write (`/cop join`) are timed while it does.
"""

from __future__ import annotations

import http.client
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.sandbox.standin import SlackStandin
from bot.sandbox.standin.requests import event_body, sign, slash_command_body

CLIENTS = 16
SECONDS = 4.0
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret"
PG_URL = os.environ.get("COPBOT_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(kind: str, api_url: str, database_url: str = "") -> Iterator[int]:
    """A bench server process on a free port, healthy; stopped afterwards."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.serve", kind, str(port), api_url, database_url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"bench server {kind} did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(10)


class Client:
    """One keep-alive connection sending signed requests."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, body: str, content_type: str) -> tuple[int, float]:
        headers = {"Content-Type": content_type, **sign(body, secret=SECRET, timestamp=int(time.time()))}
        started = time.perf_counter()
        try:
            self._connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
            answer = self._connection.getresponse()
            answer.read()
        except (http.client.HTTPException, OSError):
            self._connection.close()
            self._connection = http.client.HTTPConnection("127.0.0.1", self._port, timeout=30)
            return 0, (time.perf_counter() - started) * 1000
        return answer.status, (time.perf_counter() - started) * 1000

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        self._connection.request("GET", path)
        answer = self._connection.getresponse()
        answer.read()
        return answer.status, (time.perf_counter() - started) * 1000


def command(text: str, user: str = "U_ALICE", channel: str = "C_GENERAL") -> str:
    return slash_command_body(command="/cop", text=text, user_id=user, channel_id=channel, trigger_id="t")


_sequence = iter(range(10**9))
_sequence_lock = threading.Lock()


def message_event() -> str:
    with _sequence_lock:
        number = next(_sequence)
    event = {
        "type": "message",
        "channel": "C_PYTHON",
        "user": ("U_ALICE", "U_BOB", "U_CAROL")[number % 3],
        "text": "hello",
        "ts": f"{1772442000 + number}.000100",
    }
    return event_body(event, event_id=f"EvLoad{number}")


@dataclass
class Figures:
    p50: float
    p99: float
    per_second: float
    failed: int


def hammer(port: int, make: Callable[[], tuple[str, str]], seconds: float) -> Figures:
    """CLIENTS threads sending as fast as answers come for `seconds`; latency per request."""
    timings: list[float] = []
    failed = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        nonlocal failed
        connection = Client(port)
        mine, bad = [], 0
        while time.perf_counter() < stop_at:
            body, content_type = make()
            status, ms = connection.post(body, content_type)
            mine.append(ms)
            bad += status != 200
        with lock:
            timings.extend(mine)
            failed += bad

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(timings)
    return Figures(
        p50=statistics.median(ordered),
        p99=ordered[max(int(len(ordered) * 0.99) - 1, 0)],
        per_second=len(ordered) / elapsed,
        failed=failed,
    )


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def setup_copbot(port: int) -> None:
    """A community in C_PYTHON (messages there are counted), made the way an admin would."""
    Client(port).post(command("create python Python at work", user="U_ADMIN", channel="C_PYTHON"), FORM)


def measure(port: int) -> dict[str, Figures]:
    return {
        "/cop list": hammer(port, lambda: (command("list"), FORM), SECONDS),
        "message event": hammer(port, lambda: (message_event(), JSON), SECONDS),
    }


def fresh_postgres() -> str:
    from sqlalchemy import create_engine, text

    schema = f"bench_{os.getpid()}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def run_load(with_postgres: bool = True) -> None:
    """Three interleaved rounds; medians of each figure."""
    results: dict[str, list[dict[str, Figures]]] = {}
    with SlackStandin() as standin, tempfile.TemporaryDirectory() as tmp:
        targets = [("bare Bolt", "bare", ""), ("copbot, SQLite", "copbot", f"sqlite:///{tmp}/bench.db")]
        if with_postgres:
            targets.append(("copbot, PostgreSQL", "copbot", fresh_postgres()))
        for round_number in range(ROUNDS):
            for name, kind, database_url in targets:
                with server(kind, standin.url, database_url) as port:
                    if kind == "copbot" and round_number == 0:
                        setup_copbot(port)
                    hammer(port, lambda: (command("help"), FORM), 0.5)  # warm up
                    results.setdefault(name, []).append(measure(port))
    print(f"{CLIENTS} concurrent clients, {ROUNDS} interleaved rounds of {SECONDS:.0f} s each; medians of rounds")
    for name, rounds in results.items():
        for what in ("/cop list", "message event"):
            figures = [r[what] for r in rounds]
            print(
                f"{name + ': ' + what:<40} p50 {statistics.median(f.p50 for f in figures):6.1f} ms"
                f"   p99 {statistics.median(f.p99 for f in figures):6.1f} ms"
                f"   {statistics.median(f.per_second for f in figures):7.0f}/s"
                f"   failed {sum(f.failed for f in figures)}"
            )


def run_stuck_writer() -> None:
    """Another process holds SQLite's write lock for 10 s: how long each kind of request takes."""
    with SlackStandin() as standin, tempfile.TemporaryDirectory() as tmp:
        database = f"{tmp}/bench.db"
        with server("copbot", standin.url, f"sqlite:///{database}") as port:
            setup_copbot(port)
            client = Client(port)
            holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
            holder.execute("BEGIN IMMEDIATE")
            released = threading.Timer(10, lambda: holder.execute("ROLLBACK"))
            released.start()
            try:
                time.sleep(0.2)
                print("another process holds the write lock for 10 s:")
                for name, send in (
                    ("/cop help", lambda: client.post(command("help"), FORM)),
                    ("/cop list", lambda: client.post(command("list"), FORM)),
                    ("/healthz", lambda: client.get("/healthz")),
                    ("/cop join python (a write)", lambda: client.post(command("join python", user="U_BOB"), FORM)),
                    ("a message event (a write)", lambda: client.post(message_event(), JSON)),
                ):
                    status, ms = send()
                    print(f"  {name:<30} HTTP {status}  {ms:7.1f} ms")
            finally:
                released.join()
                holder.close()


def run(with_postgres: bool = True) -> None:
    run_load(with_postgres)
    run_stuck_writer()
