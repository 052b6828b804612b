"""Fan-out: 5,000 DMs queued at once, delivered against the stand-in's rate limiter.

The stand-in limits chat.postMessage as Slack does (a token bucket; 429 with `Retry-After` past it),
and the delivery worker keeps to the same budget. The report compares the time taken with the
fastest the limiter allows ((DMs − burst) ÷ rate), and counts the 429s.
"""

from __future__ import annotations

import tempfile
import time

from slack_sdk import WebClient

from bot.clock import SystemClock
from bot.delivery.budget import Budget
from bot.delivery.outbox import post_message
from bot.delivery.worker import DeliveryWorker
from bot.sandbox.standin import SlackStandin, User
from storage.db import make_engine, make_read_session_factory, make_session_factory
from storage.migrate import upgrade

DMS = 5_000
PER_MINUTE = 6_000  # 100 a second: Slack's real workspace-wide rate is lower, and unpublished
BURST = 20
SENDERS = 4  # as `copbot serve` runs the worker


def run(dms: int = DMS) -> None:
    with SlackStandin() as standin, tempfile.TemporaryDirectory() as tmp:
        standin.rate_limits.limit("chat.postMessage", per_minute=PER_MINUTE, burst=BURST)
        engine = make_engine(f"sqlite:///{tmp}/fanout.db")
        upgrade(engine)
        sessions = make_session_factory(engine)
        clock = SystemClock()
        recipients = [f"U{n:05d}" for n in range(dms)]
        for user_id in recipients:
            standin.workspace.add_user(User(id=user_id, name=user_id.lower()))
        with sessions.begin() as session:
            for user_id in recipients:
                post_message(session, channel=user_id, text="How is it going?", kind="bench", now=clock.now())
        worker = DeliveryWorker(
            session_factory=sessions,
            read_sessions=make_read_session_factory(engine),
            client=WebClient(token=standin.token, base_url=standin.url, timeout=10, retry_handlers=[]),
            clock=clock,
            budgets={"chat.postMessage": Budget(per_minute=PER_MINUTE, burst=BURST)},
            senders=SENDERS,
        )
        started = time.perf_counter()
        worker.start()
        while worker.pending_count():
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        worker.stop()
        calls = standin.calls_to("chat.postMessage")
        refused = standin.rate_limits.refused.get("chat.postMessage", 0)
        fastest = (dms - BURST) / (PER_MINUTE / 60)
        delivered = len({call.params["channel"] for call in calls if call.ok})
        print(
            f"fan-out: {delivered:,} of {dms:,} DMs in {elapsed:.1f} s against a limit of {PER_MINUTE / 60:.0f}/s "
            f"(fastest possible {fastest:.1f} s: {elapsed / fastest - 1:+.1%}); "
            f"{refused} of {len(calls):,} calls got 429 ({refused / max(len(calls), 1):.2%})"
        )
        engine.dispose()
