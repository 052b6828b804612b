"""Requests sent TO the app: signatures, bodies, SignedSender, and a real Bolt app accepting them."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.sandbox.standin import (
    SignedSender,
    SlackStandin,
    block_actions_body,
    event_body,
    message_shortcut_body,
    sign,
    slash_command_body,
    view_submission_body,
)

SECRET = "s3cr3t-signing"


def payload_of(form_body: str) -> dict[str, Any]:
    """The JSON payload of an interaction form body."""
    payload: dict[str, Any] = json.loads(parse_qs(form_body)["payload"][0])
    return payload


def test_sign_matches_slacks_documented_example() -> None:
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    headers = sign(body, secret="8f742231b10e8888abcd99yyyzzz85a5", timestamp=1531420618)
    assert headers == {
        "X-Slack-Request-Timestamp": "1531420618",
        "X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    }


@pytest.mark.parametrize("body", ["a=1&b=2", b'{"type": "event_callback"}', "ünïcode=✓"])
def test_sign_matches_slack_sdk_verifier(body: str | bytes) -> None:
    headers = sign(body, secret=SECRET)
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier("other-secret").is_valid_request(body, headers)


def test_slash_command_body_is_form_encoded_like_slack() -> None:
    body = slash_command_body(
        command="/cop", text="join python", user_id="U_ALICE", channel_id="C_GENERAL", response_url="http://x/r"
    )
    fields = {key: values[0] for key, values in parse_qs(body).items()}
    assert fields["command"] == "/cop" and fields["text"] == "join python"
    assert fields["user_id"] == "U_ALICE" and fields["channel_id"] == "C_GENERAL"
    assert fields["team_id"] == "T0001" and fields["response_url"] == "http://x/r"
    assert fields["trigger_id"]


def test_event_body_is_an_event_callback_envelope() -> None:
    event = {"type": "team_join", "user": {"id": "U_NEW"}}
    envelope = json.loads(event_body(event, event_time=123))
    assert envelope["type"] == "event_callback" and envelope["event"] == event
    assert envelope["event_id"].startswith("Ev") and envelope["event_time"] == 123
    assert envelope["authorizations"][0] == {
        "enterprise_id": None,
        "team_id": "T0001",
        "user_id": "UBOT",
        "is_bot": True,
        "is_enterprise_install": False,
    }
    assert json.loads(event_body(event, event_id="Ev1"))["event_id"] == "Ev1"


def test_interaction_bodies_carry_a_payload() -> None:
    click = payload_of(
        block_actions_body(
            user_id="U_BOB",
            action_id="join",
            value="python",
            channel_id="C_GENERAL",
            message_ts="1.000001",
            response_url="http://x/r",
        )
    )
    assert click["type"] == "block_actions"
    assert click["actions"][0]["action_id"] == "join" and click["actions"][0]["value"] == "python"
    assert click["container"]["message_ts"] == "1.000001" and click["channel"]["id"] == "C_GENERAL"
    assert click["response_url"] == "http://x/r"

    submitted = payload_of(
        view_submission_body(
            user_id="U_BOB",
            callback_id="join",
            private_metadata="m",
            values={"b": {"a": {"type": "plain_text_input", "value": "v"}}},
        )
    )
    assert submitted["type"] == "view_submission" and submitted["view"]["callback_id"] == "join"
    assert submitted["view"]["state"]["values"]["b"]["a"]["value"] == "v"

    shortcut = payload_of(
        message_shortcut_body(
            user_id="U_BOB", callback_id="save", channel_id="C_GENERAL", message={"ts": "1.000002", "text": "keep"}
        )
    )
    assert shortcut["type"] == "message_action" and shortcut["message_ts"] == "1.000002"


class _Catcher(BaseHTTPRequestHandler):
    """Answers 200 to correctly signed requests and 401 otherwise, remembering what came in."""

    seen: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        headers = dict(self.headers.items())
        self.seen.append((headers, body))
        good = SignatureVerifier(SECRET).is_valid_request(body, headers)
        payload = b'{"ok": true}' if good else b""
        self.send_response(200 if good else 401)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - name fixed by http.server
        return None


@pytest.fixture
def catcher() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    """A tiny HTTP server standing in for the app; yields its URL and the requests it saw."""
    seen: list[tuple[dict[str, str], bytes]] = []
    handler = type("Catcher", (_Catcher,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/slack/events", seen
    finally:
        server.shutdown()
        server.server_close()


def test_signed_sender_posts_signed_requests(catcher: tuple[str, list[Any]]) -> None:
    url, seen = catcher
    sender = SignedSender(url=url, secret=SECRET)
    answer = sender.command("/cop", "help", user_id="U_ALICE", channel_id="C_GENERAL")
    assert answer.status == 200 and answer.json() == {"ok": True} and answer.elapsed >= 0

    headers, body = seen[0]
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(body.decode())["command"] == ["/cop"]
    assert sender.event({"type": "app_home_opened", "user": "U_ALICE"}).status == 200
    assert seen[1][0]["Content-Type"] == "application/json"
    assert sender.action(user_id="U_ALICE", action_id="go").status == 200


def test_signed_sender_returns_http_errors(catcher: tuple[str, list[Any]]) -> None:
    url, _ = catcher
    stale = SignedSender(url=url, secret=SECRET, clock=lambda: time.time() - 600)
    answer = stale.command("/cop", user_id="U_ALICE", channel_id="C_GENERAL")
    assert answer.status == 401 and answer.json() is None and answer.text == ""

    forged = SignedSender(url=url, secret=SECRET).post(
        "a=1", content_type="application/x-www-form-urlencoded", signature="v0=deadbeef"
    )
    assert forged.status == 401


@pytest.fixture
def bolt_app(standin: SlackStandin) -> App:
    """A real Bolt app whose WebClient talks to the stand-in."""
    app = App(
        client=WebClient(base_url=standin.url, token="xoxb-test"), signing_secret=SECRET, process_before_response=True
    )

    @app.command("/cop")
    def cop(ack: Callable[..., None], command: dict[str, Any], say: Callable[..., Any]) -> None:
        ack()
        say(f"you said {command['text']}")

    @app.action("join")
    def join(ack: Callable[..., None], body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.chat_postMessage(channel=body["user"]["id"], text=f"joined {body['actions'][0]['value']}")

    @app.event("app_mention")
    def mention(event: dict[str, Any], say: Callable[..., Any]) -> None:
        say(text="hello", thread_ts=event["ts"])

    return app


def dispatch(app: App, body: str, *, secret: str = SECRET) -> int:
    """Hand a Slack-signed body to the Bolt app and return the HTTP status it answers."""
    content_type = "application/json" if body.startswith("{") else "application/x-www-form-urlencoded"
    headers: dict[str, str | Sequence[str]] = {"content-type": content_type, **sign(body, secret=secret)}
    return app.dispatch(BoltRequest(body=body, headers=headers)).status


def test_bolt_accepts_a_signed_slash_command(standin: SlackStandin, bolt_app: App) -> None:
    body = slash_command_body(command="/cop", text="hi", user_id="U_ALICE", channel_id="C_GENERAL")
    assert dispatch(bolt_app, body) == 200
    [message] = standin.messages_to("C_GENERAL")
    assert message.params["text"] == "you said hi"


def test_bolt_refuses_a_wrong_signature(standin: SlackStandin, bolt_app: App) -> None:
    body = slash_command_body(command="/cop", text="hi", user_id="U_ALICE", channel_id="C_GENERAL")
    assert dispatch(bolt_app, body, secret="wrong") == 401
    assert standin.messages_to("C_GENERAL") == []


def test_bolt_handles_block_actions_and_events(standin: SlackStandin, bolt_app: App) -> None:
    click = block_actions_body(
        user_id="U_BOB", action_id="join", value="python", channel_id="C_GENERAL", message_ts="1700000000.000001"
    )
    assert dispatch(bolt_app, click) == 200
    assert [c.params["text"] for c in standin.messages_to("U_BOB")] == ["joined python"]

    mention = {
        "type": "app_mention",
        "user": "U_ALICE",
        "text": "<@UBOT> hi",
        "ts": "1700000000.000009",
        "channel": "C_GENERAL",
        "event_ts": "1700000000.000009",
    }
    assert dispatch(bolt_app, event_body(mention)) == 200
    [reply] = standin.messages_to("C_GENERAL")
    assert reply.params["thread_ts"] == "1700000000.000009"
