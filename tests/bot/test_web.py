"""HTTP serving: `GET /healthz` for a load balancer, and nothing parsed from the network before Slack's signature."""

from __future__ import annotations

import json
import logging
import socket
import time
import urllib.error
import urllib.request

import pytest
from slack_bolt.request import BoltRequest
from sqlalchemy import select

from bot.sandbox.standin.requests import FORM, event_body, sign, slash_command_body
from bot.web import MAX_BODY_BYTES, QUEUE_WARNINGS, OncePerInterval, signed_by_slack
from storage.models import ActivityCount, Membership
from tests.conftest import RunningCopbot


def get(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_healthz_is_ok_while_the_database_answers(running: RunningCopbot) -> None:
    assert get(f"{running.server.url}/healthz") == (200, {"status": "ok"})


def test_healthz_is_503_when_the_database_is_gone(running: RunningCopbot, tmp_path: object) -> None:
    from storage.db import make_engine

    running.copbot.engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    status, body = get(f"{running.server.url}/healthz")
    assert status == 503 and body["status"] != "ok"


def raw_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


HOSTILE_BODIES = {
    "invalid UTF-8": b"payload=\xff\xfe\xfd",
    "malformed JSON": b'{"type": "event_callback", ',
    "a JSON array": b"[1, 2, 3]",
    "deeply nested JSON": b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "a payload that is not JSON": b"payload=%7Bnope",
    "a payload that is a JSON string": b"payload=%22hello%22",
}


@pytest.mark.parametrize("name", HOSTILE_BODIES)
def test_unsigned_hostile_bodies_are_refused_before_anything_is_parsed(running: RunningCopbot, name: str) -> None:
    url = f"{running.server.url}/slack/events"
    body = HOSTILE_BODIES[name]
    assert raw_post(url, body, {"Content-Type": "application/x-www-form-urlencoded"}) == 401
    bad = {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00", "Content-Type": "application/json"}
    assert raw_post(url, body, bad) == 401


@pytest.mark.parametrize("name", HOSTILE_BODIES)
def test_signed_bodies_that_are_not_slack_payloads_get_400(running: RunningCopbot, name: str) -> None:
    answer = running.slack.post(HOSTILE_BODIES[name], content_type="application/x-www-form-urlencoded")
    assert answer.status == 400
    assert json.loads(answer.body) == {"error": "not a Slack payload"}


def status_of_huge_post(running: RunningCopbot, declared: int) -> int:
    """Announce a body of `declared` bytes, send only its first kilobyte, and read the answer."""
    with socket.create_connection(("127.0.0.1", running.server.port), timeout=10) as connection:
        head = f"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: {declared}\r\n"
        connection.sendall(head.encode() + b"Content-Type: application/json\r\n\r\n" + b"{" * 1024)
        return int(connection.recv(100).split()[1])


def test_a_body_over_the_limit_is_refused_with_413_unread(running: RunningCopbot) -> None:
    calls_before = len(running.standin.calls)
    assert status_of_huge_post(running, 300 * 1024 * 1024) == 413
    assert status_of_huge_post(running, MAX_BODY_BYTES + 1) == 413
    assert len(running.standin.calls) == calls_before  # nothing reached a handler


def test_a_body_just_under_the_limit_is_read_and_judged(running: RunningCopbot) -> None:
    message = {"type": "message", "channel": "C_GENERAL", "user": "U_ALICE", "text": "x" * (MAX_BODY_BYTES - 1000)}
    message |= {"ts": "1772442000.000100", "channel_type": "channel"}
    assert len(event_body(message)) < MAX_BODY_BYTES
    assert running.slack.event(message).status == 200


def status_of_raw_request(running: RunningCopbot, head: bytes, body: bytes = b"{}") -> int:
    """Send request bytes exactly as given (headers no HTTP client would write) and read the status."""
    with socket.create_connection(("127.0.0.1", running.server.port), timeout=10) as connection:
        connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n" + head + b"\r\n" + body)
        connection.shutdown(socket.SHUT_WR)
        return int(connection.recv(100).split()[1])


@pytest.mark.parametrize(
    "head",
    [
        b"X-Slack-Signature: v0=\xe9\xe9\r\nX-Slack-Request-Timestamp: %d\r\nContent-Length: 2\r\n",
        b"X-Slack-Signature: v0=00\r\nX-Slack-Request-Timestamp: " + b"9" * 5000 + b"\r\nContent-Length: 2\r\n",
        b"X-Slack-Signature: v0=00\r\nX-Slack-Request-Timestamp: %d\r\nContent-Length: -1\r\n",
    ],
    ids=["a non-ASCII signature", "a 5,000-digit timestamp", "a negative length"],
)
def test_hostile_headers_are_refused_not_answered_with_500(running: RunningCopbot, head: bytes) -> None:
    head = head.replace(b"%d", str(int(time.time())).encode())
    assert status_of_raw_request(running, head) in (400, 401)  # the server or the signature check refuses


def test_a_stale_signature_is_refused(running: RunningCopbot) -> None:
    answer = running.slack.post(
        "token=x&command=/cop&text=help",
        content_type="application/x-www-form-urlencoded",
        timestamp=int(time.time()) - 600,
    )
    assert answer.status == 401


def test_only_the_events_path_takes_posts(running: RunningCopbot) -> None:
    assert raw_post(f"{running.server.url}/elsewhere", b"{}", {}) == 404
    assert get(f"{running.server.url}/slack/events") == (405, {"error": "POST only"})


def test_the_signature_is_checked_over_the_raw_bytes() -> None:
    body = "text=caf\u00e9".encode()
    headers = {k.lower(): v for k, v in sign(body, secret="s3cret", timestamp=1_000).items()}
    assert signed_by_slack(b"s3cret", body, headers, now=1_000)
    assert not signed_by_slack(b"s3cret", body + b" ", headers, now=1_000)
    assert not signed_by_slack(b"other", body, headers, now=1_000)
    assert not signed_by_slack(b"s3cret", body, headers, now=1_000 + 301)
    assert not signed_by_slack(b"", body, headers, now=1_000)


def test_healthz_is_503_when_the_database_reads_but_cannot_write(running: RunningCopbot) -> None:
    from storage.db import make_engine

    path = running.copbot.engine.url.database
    running.copbot.engine = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert get(f"{running.server.url}/healthz") == (503, {"status": "unavailable"})


@pytest.mark.postgres
def test_healthz_is_503_on_a_read_only_postgresql(running_on_postgres: RunningCopbot) -> None:
    from storage.db import make_engine

    url = running_on_postgres.copbot.engine.url
    running_on_postgres.copbot.engine = make_engine(
        url.render_as_string(hide_password=False), connect_args={"options": "-c default_transaction_read_only=on"}
    )
    assert get(f"{running_on_postgres.server.url}/healthz") == (503, {"status": "unavailable"})
    assert get(f"{running_on_postgres.server.url}/healthz") == (503, {"status": "unavailable"})


def test_healthz_says_busy_quickly_while_another_process_holds_the_write_lock(running: RunningCopbot) -> None:
    import sqlite3

    holder = sqlite3.connect(running.copbot.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        # `get` gives up after 5 s: the probe must wait half a second for the lock, not the 30 s busy timeout
        assert get(f"{running.server.url}/healthz") == (503, {"status": "busy"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert get(f"{running.server.url}/healthz") == (200, {"status": "ok"})


def test_waitress_says_its_queue_is_full_once_a_minute_not_once_a_request(running: RunningCopbot) -> None:
    queue_log = logging.getLogger("waitress.queue")
    assert QUEUE_WARNINGS in queue_log.filters, "the running server's queue warnings pass the filter"
    once = OncePerInterval(60.0)
    record = queue_log.makeRecord("waitress.queue", logging.WARNING, __file__, 1, "Task queue depth is %d", (3,), None)
    assert [once.filter(record) for _ in range(3)] == [True, False, False]
    assert all(OncePerInterval(0.0).filter(record) for _ in range(3))


def test_a_request_that_skipped_the_signature_check_is_refused_by_the_app_itself(running: RunningCopbot) -> None:
    """Bolt's own verification is off (bot.web checks once, before parsing): any other way in — a WSGI
    adapter, a direct dispatch — finds the app refusing what bot.web did not check."""
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    said = {"type": "message", "channel": "C_PYTHON", "user": "U_BOB", "text": "hi", "ts": "1772442000.000100"}
    join = slash_command_body(command="/cop", text="join python", user_id="U_BOB", channel_id="C_GENERAL")
    for body, content_type in ((event_body(said, event_id="EvUnsigned"), "application/json"), (join, FORM)):
        headers = {"content-type": content_type, **sign(body, secret="", timestamp=int(time.time()))}
        answer = running.copbot.bolt.dispatch(BoltRequest(body=body, headers=headers))
        assert (answer.status, json.loads(answer.body)) == (401, {"error": "invalid signature"})
    with running.copbot.sessions() as session:
        assert session.scalars(select(Membership.user_id)).all() == ["U_ADMIN"]
        assert session.scalars(select(ActivityCount.user_id)).all() == []
    assert running.slack.event(said, event_id="EvSigned").status == 200, "the same event, signed, through bot.web"
