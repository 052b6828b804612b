"""Fan-out at Slack's pace: each method has a workspace-wide budget, a 429 slows only that method."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import ManualClock, SystemClock
from bot.delivery.budget import Budget
from bot.delivery.outbox import post_message
from bot.delivery.worker import DeliveryWorker
from bot.sandbox.standin import SlackStandin, User

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_budget_lets_most_of_a_burst_go_then_one_call_per_token() -> None:
    budget = Budget(per_minute=60, burst=4)
    for _ in range(3):  # a quarter of the burst is held back: Slack's bucket never runs quite dry
        assert budget.ready_at(T0) == T0
        budget.spend(T0)
    assert budget.ready_at(T0) == T0 + timedelta(seconds=1)
    assert budget.ready_at(T0 + timedelta(seconds=1)) == T0 + timedelta(seconds=1)
    budget.spend(T0 + timedelta(seconds=1))
    assert budget.ready_at(T0 + timedelta(seconds=1)) == T0 + timedelta(seconds=2)


def test_a_burst_of_one_is_spent_whole() -> None:
    budget = Budget(per_minute=60, burst=1)  # nothing to hold back: a quarter of one would be all of it
    assert budget.ready_at(T0) == T0
    budget.spend(T0)
    assert budget.ready_at(T0) == T0 + timedelta(seconds=1)


def test_a_429_halves_the_rate_and_successes_bring_it_back() -> None:
    budget = Budget(per_minute=60, burst=4)
    budget.slow_down(T0)  # no tokens left, and they come at half the rate: two needed, four seconds
    assert budget.rate == 0.5 and budget.ready_at(T0) == T0 + timedelta(seconds=4)
    for _ in range(100):
        budget.recover()
    assert budget.rate == 1.0


def test_a_pass_held_back_only_by_the_budget_says_when_to_look_again(
    sessions: sessionmaker[Session], standin: SlackStandin, clock: ManualClock
) -> None:
    """Regression: when a wait for the budget ended a hair early, no message counted as due and the
    worker slept its idle second as if nothing waited (5,000 DMs took 30-50% longer than Slack allows)."""
    client = WebClient(token=standin.token, base_url=standin.url, timeout=5, retry_handlers=[])
    for user_id in ("U_A", "U_B", "U_C", "U_D"):
        standin.workspace.add_user(User(id=user_id, name=user_id.lower()))
        with sessions.begin() as session:
            post_message(session, channel=user_id, text="The digest is out", kind="test", now=clock.now())
    worker = DeliveryWorker(
        session_factory=sessions,
        client=client,
        clock=clock,
        budgets={"chat.postMessage": Budget(per_minute=60, burst=4)},  # 3 at once, then one a second
    )
    assert len(worker.deliver_due().sent) == 3
    clock.advance(timedelta(seconds=0.999))  # the worker woke a little before the next token
    report = worker.deliver_due()
    assert report.touched == 0
    assert report.waiting_for_budget == pytest.approx(0.001), "the worker waits for the budget, not for an idle second"
    clock.advance(timedelta(seconds=0.001))
    assert len(worker.deliver_due().sent) == 1


def test_a_burst_of_dms_keeps_to_slacks_rate_and_arrives_once_each(
    sessions: sessionmaker[Session], standin: SlackStandin
) -> None:
    standin.rate_limits.limit("chat.postMessage", per_minute=3000, burst=5)  # 50 a second
    client = WebClient(token=standin.token, base_url=standin.url, timeout=5, retry_handlers=[])
    clock = SystemClock()
    recipients = [f"U{n:04d}" for n in range(60)]
    for user_id in recipients:
        standin.workspace.add_user(User(id=user_id, name=user_id.lower()))
    with sessions.begin() as session:
        for user_id in recipients:
            post_message(session, channel=user_id, text="The digest is out", kind="test", now=clock.now())
    worker = DeliveryWorker(
        session_factory=sessions,
        client=client,
        clock=clock,
        idle_wait=0.05,
        budgets={"chat.postMessage": Budget(per_minute=3000, burst=5)},
    )
    worker.start()
    deadline = time.monotonic() + 30
    while worker.pending_count() and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.stop()
    assert worker.pending_count() == 0
    assert sorted(call.params["channel"] for call in standin.calls_to("chat.postMessage") if call.ok) == recipients
    assert standin.rate_limits.refused.get("chat.postMessage", 0) <= 1, "kept to the rate: no storm of 429s"
