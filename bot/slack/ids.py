"""What Slack's ids look like. A request carrying anything else did not come from Slack, whatever
signed it: it is refused before any of it is stored (a NUL or a lone surrogate cannot be stored
as text at all, and an over-long id does not fit its column)."""

from __future__ import annotations

import re
from typing import Any

SLACK_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")  # users, channels, teams, views: U024BE7LH, C…, W…, T…, V…
EVENT_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")  # Ev08MFMKH6
SLACK_TS = re.compile(r"[0-9]{1,12}\.[0-9]{1,9}")  # a message's timestamp: 1772442000.000100


def odd_ids(body: dict[str, Any]) -> list[str]:
    """The fields of a request whose ids are not shaped as Slack makes them (none, for what Slack sends)."""
    given = body.get("event")
    event: dict[str, Any] = given if isinstance(given, dict) else {}
    fields = {
        "user_id": (body.get("user_id"), SLACK_ID),
        "channel_id": (body.get("channel_id"), SLACK_ID),
        "team_id": (body.get("team_id"), SLACK_ID),
        "user.id": (_id(body.get("user")), SLACK_ID),
        "channel.id": (_id(body.get("channel")), SLACK_ID),
        "team.id": (_id(body.get("team")), SLACK_ID),
        "view.id": (_id(body.get("view")), SLACK_ID),
        "event_id": (body.get("event_id"), EVENT_ID),
        "event.user": (_id(event.get("user")), SLACK_ID),
        "event.channel": (_id(event.get("channel")), SLACK_ID),
        "event.ts": (event.get("ts"), SLACK_TS),
        "event.thread_ts": (event.get("thread_ts"), SLACK_TS),
    }
    return [
        name
        for name, (value, shape) in fields.items()
        if value is not None and not (isinstance(value, str) and shape.fullmatch(value))
    ]


def _id(value: Any) -> Any:
    """An object's id (Slack sends users and channels as ids in some payloads, as objects in others)."""
    return value.get("id") if isinstance(value, dict) else value
