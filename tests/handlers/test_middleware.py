"""Events API deliveries are idempotent by event_id: Slack's retries change nothing."""

from __future__ import annotations

import threading

from sqlalchemy import select

from bot.sandbox.standin.requests import event_body
from storage.models import ActivityCount
from tests.conftest import RunningCopbot
from tests.factories import add_community


def message_event(ts: str = "1772442000.000100") -> dict[str, str]:
    return {"type": "message", "channel": "C_PYTHON", "user": "U_BOB", "text": "not stored", "ts": ts}


def counts(running: RunningCopbot) -> list[int]:
    with running.copbot.sessions() as session:
        return list(session.scalars(select(ActivityCount.messages)))


def test_same_event_delivered_twice_is_handled_once(running: RunningCopbot) -> None:
    with running.copbot.sessions.begin() as session:
        add_community(session, name="python", now=running.clock.now())
    body = event_body(message_event(), event_id="Ev0001")
    first = running.slack.post(body, content_type="application/json")
    retry = running.slack.post(
        body,
        content_type="application/json",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert (first.status, retry.status) == (200, 200)
    assert counts(running) == [1]


def test_different_events_both_count(running: RunningCopbot) -> None:
    with running.copbot.sessions.begin() as session:
        add_community(session, name="python", now=running.clock.now())
    running.slack.event(message_event("1772442000.000100"), event_id="Ev0001")
    running.slack.event(message_event("1772442001.000100"), event_id="Ev0002")
    assert counts(running) == [2]


def test_concurrent_duplicate_deliveries_count_once(running: RunningCopbot) -> None:
    with running.copbot.sessions.begin() as session:
        add_community(session, name="python", now=running.clock.now())
    body = event_body(message_event(), event_id="Ev0009")
    statuses: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: statuses.append(running.slack.post(body, content_type="application/json").status)
        )
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 6
    assert counts(running) == [1]


def test_message_text_is_never_stored(either: RunningCopbot) -> None:
    running = either
    running.command("create python Python", user="U_ADMIN", channel="C_PYTHON")
    running.command("ask python Which linter?", user="U_ADMIN")
    running.deliver()
    [question] = running.standin.messages_to("C_PYTHON")
    secret = {"type": "message", "channel": "C_PYTHON", "user": "U_BOB", "ts": "1772442000.000100"}
    running.slack.event(secret | {"text": "a secret plan"}, event_id="Ev0003")
    running.slack.event(
        secret | {"text": "a secret reply", "ts": "1772442001.000100", "thread_ts": question.response["ts"]},
        event_id="Ev0004",
    )
    from storage.models import Base

    with running.copbot.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                assert "secret" not in repr(row), table.name
    assert counts(running) == [2], "both messages were counted"


def test_duplicate_events_on_postgres_count_once(running_on_postgres: RunningCopbot) -> None:
    running = running_on_postgres
    with running.copbot.sessions.begin() as session:
        add_community(session, name="python", now=running.clock.now())
    body = event_body(message_event(), event_id="EvPG1")
    threads = [
        threading.Thread(target=running.slack.post, args=(body,), kwargs={"content_type": "application/json"})
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counts(running) == [1]


def test_concurrent_messages_all_count_on_postgres(running_on_postgres: RunningCopbot) -> None:
    running = running_on_postgres
    with running.copbot.sessions.begin() as session:
        add_community(session, name="python", now=running.clock.now())
    bodies = [
        event_body(message_event(f"17724420{index:02d}.000100"), event_id=f"EvMany{index}") for index in range(16)
    ]
    threads = [
        threading.Thread(target=running.slack.post, args=(body,), kwargs={"content_type": "application/json"})
        for body in bodies
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counts(running) == [16]
