"""Requests as Slack sends them TO the app: slash commands, events, interactions, signed like Slack signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
VERIFICATION_TOKEN = "standin-verification-token"
TEAM_DOMAIN = "copbot-standin"
API_APP_ID = "A0001"


def sign(body: bytes | str, *, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """The X-Slack-Request-Timestamp and X-Slack-Signature headers Slack would send with this body."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    raw = body.encode("utf-8") if isinstance(body, str) else body
    digest = hmac.new(secret.encode("utf-8"), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": f"v0={digest}"}


def new_trigger_id() -> str:
    """A fresh trigger_id shaped like Slack's."""
    return f"{int(time.time())}.{uuid.uuid4().int % 10**10}.{uuid.uuid4().hex}"


def _user(user_id: str, team_id: str) -> dict[str, str]:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id}


def _team(team_id: str) -> dict[str, str]:
    return {"id": team_id, "domain": TEAM_DOMAIN}


def _payload_form(payload: dict[str, Any]) -> str:
    """The form body Slack uses for interactions: payload=<json>."""
    return urlencode({"payload": json.dumps(payload)})


def slash_command_body(
    *,
    command: str,
    text: str,
    user_id: str,
    channel_id: str,
    team_id: str = "T0001",
    user_name: str = "",
    channel_name: str = "",
    response_url: str = "",
    trigger_id: str | None = None,
) -> str:
    """A slash command, form-encoded as Slack posts it."""
    return urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": channel_name or channel_id,
            "user_id": user_id,
            "user_name": user_name or user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": API_APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id or new_trigger_id(),
        }
    )


def event_body(
    event: dict[str, Any],
    *,
    event_id: str | None = None,
    team_id: str = "T0001",
    api_app_id: str = API_APP_ID,
    event_time: int | None = None,
) -> str:
    """An Events API `event_callback` envelope around `event`, as JSON."""
    return json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "api_app_id": api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()) if event_time is None else event_time,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": team_id,
                    "user_id": "UBOT",
                    "is_bot": True,
                    "is_enterprise_install": False,
                },
            ],
            "is_ext_shared_channel": False,
        }
    )


def block_actions_body(
    *,
    user_id: str,
    action_id: str,
    value: str = "",
    block_id: str = "b",
    channel_id: str | None = None,
    message_ts: str | None = None,
    message: dict[str, Any] | None = None,
    trigger_id: str | None = None,
    response_url: str = "",
    view: dict[str, Any] | None = None,
    team_id: str = "T0001",
) -> str:
    """A button click (`block_actions`), form-encoded as payload=<json>."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, team_id),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": _container(channel_id, message_ts, message, view),
        "trigger_id": trigger_id or new_trigger_id(),
        "team": _team(team_id),
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "value": value,
                "text": {"type": "plain_text", "text": action_id},
                "action_ts": f"{time.time():.6f}",
            }
        ],
        "state": {"values": {}},
    }
    payload.update(_action_origin(channel_id, message_ts, message, view, response_url))
    return _payload_form(payload)


def _container(
    channel_id: str | None, message_ts: str | None, message: dict[str, Any] | None, view: dict[str, Any] | None
) -> dict[str, Any]:
    """Where the clicked element lives: a view or a message."""
    if view is not None:
        return {"type": "view", "view_id": view.get("id", "V1")}
    ts = message_ts or (message or {}).get("ts")
    return {"type": "message", "message_ts": ts, "channel_id": channel_id, "is_ephemeral": False}


def _action_origin(
    channel_id: str | None,
    message_ts: str | None,
    message: dict[str, Any] | None,
    view: dict[str, Any] | None,
    response_url: str,
) -> dict[str, Any]:
    """The channel/message/view/response_url keys of an interaction payload."""
    origin: dict[str, Any] = {}
    if channel_id is not None:
        origin["channel"] = {"id": channel_id, "name": channel_id}
    if message is not None or message_ts is not None:
        origin["message"] = message or {"type": "message", "ts": message_ts, "text": ""}
    if view is not None:
        origin["view"] = view
    if response_url:
        origin["response_url"] = response_url
    return origin


def view_submission_body(
    *,
    user_id: str,
    callback_id: str,
    values: dict[str, Any],
    private_metadata: str = "",
    view_id: str | None = None,
    team_id: str = "T0001",
) -> str:
    """A modal submission (`view_submission`); `values` is state.values: {block_id: {action_id: {...}}}.

    Without `view_id`, each submission is of a modal of its own (as when each person opens the form);
    pass the same id to submit one modal twice.
    """
    view_id = view_id or f"V{uuid.uuid4().hex[:10].upper()}"
    return _payload_form(
        {
            "type": "view_submission",
            "team": _team(team_id),
            "user": _user(user_id, team_id),
            "api_app_id": API_APP_ID,
            "token": VERIFICATION_TOKEN,
            "trigger_id": new_trigger_id(),
            "view": {
                "id": view_id,
                "team_id": team_id,
                "type": "modal",
                "blocks": [],
                "private_metadata": private_metadata,
                "callback_id": callback_id,
                "state": {"values": values},
                "hash": f"{int(time.time())}.standin",
                "title": {"type": "plain_text", "text": "Stand-in"},
                "clear_on_close": False,
                "notify_on_close": False,
                "close": None,
                "submit": None,
                "previous_view_id": None,
                "root_view_id": view_id,
                "app_id": API_APP_ID,
                "external_id": "",
                "app_installed_team_id": team_id,
                "bot_id": "BBOT",
            },
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
    )


def message_shortcut_body(
    *,
    user_id: str,
    callback_id: str,
    channel_id: str,
    message: dict[str, Any],
    trigger_id: str | None = None,
    response_url: str = "",
    team_id: str = "T0001",
) -> str:
    """A message shortcut (`message_action`), form-encoded as payload=<json>."""
    return _payload_form(
        {
            "type": "message_action",
            "token": VERIFICATION_TOKEN,
            "action_ts": f"{time.time():.6f}",
            "team": _team(team_id),
            "user": _user(user_id, team_id),
            "channel": {"id": channel_id, "name": channel_id},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": trigger_id or new_trigger_id(),
            "response_url": response_url,
            "message_ts": message.get("ts"),
            "message": message,
        }
    )


@dataclass
class AppResponse:
    """What the app under test answered."""

    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float

    @property
    def text(self) -> str:
        """The body as text."""
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON, or None if it is empty."""
        return json.loads(self.body) if self.body.strip() else None


class SignedSender:
    """Posts Slack-signed requests to the app under test."""

    def __init__(self, *, url: str, secret: str, clock: Callable[[], float] = time.time, timeout: float = 10.0) -> None:
        self.url = url
        self.secret = secret
        self.clock = clock
        self.timeout = timeout

    def post(
        self,
        body: str | bytes,
        *,
        content_type: str,
        headers: dict[str, str] | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> AppResponse:
        """POST a body signed with the secret (or the given timestamp/signature); HTTP errors are returned."""
        ts = int(self.clock()) if timestamp is None else timestamp
        signed = sign(body, secret=self.secret, timestamp=ts)
        if signature is not None:
            signed["X-Slack-Signature"] = signature
        all_headers = {
            "Content-Type": content_type,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **signed,
            **(headers or {}),
        }
        data = body.encode("utf-8") if isinstance(body, str) else body
        request = urllib.request.Request(self.url, data=data, headers=all_headers, method="POST")
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> AppResponse:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return AppResponse(
                    answer.status, dict(answer.headers.items()), answer.read(), time.monotonic() - started
                )
        except urllib.error.HTTPError as refused:
            return AppResponse(refused.code, dict(refused.headers.items()), refused.read(), time.monotonic() - started)

    def command(self, command: str, text: str = "", *, user_id: str, channel_id: str, **fields: Any) -> AppResponse:
        """Send a slash command."""
        body = slash_command_body(command=command, text=text, user_id=user_id, channel_id=channel_id, **fields)
        return self.post(body, content_type=FORM)

    def event(self, event: dict[str, Any], **fields: Any) -> AppResponse:
        """Send an Events API event."""
        return self.post(event_body(event, **fields), content_type=JSON)

    def action(self, *, user_id: str, action_id: str, **fields: Any) -> AppResponse:
        """Send a block_actions interaction (a button click)."""
        return self.post(block_actions_body(user_id=user_id, action_id=action_id, **fields), content_type=FORM)

    def view_submission(self, *, user_id: str, callback_id: str, values: dict[str, Any], **fields: Any) -> AppResponse:
        """Send a view_submission interaction."""
        body = view_submission_body(user_id=user_id, callback_id=callback_id, values=values, **fields)
        return self.post(body, content_type=FORM)

    def message_shortcut(
        self, *, user_id: str, callback_id: str, channel_id: str, message: dict[str, Any], **fields: Any
    ) -> AppResponse:
        """Send a message shortcut."""
        body = message_shortcut_body(
            user_id=user_id, callback_id=callback_id, channel_id=channel_id, message=message, **fields
        )
        return self.post(body, content_type=FORM)
