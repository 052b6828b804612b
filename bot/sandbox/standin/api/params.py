"""Reading Web API parameters, and the error a method answers with when they are wrong."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")


class SlackError(Exception):
    """A Web API error answer: `{"ok": false, "error": ...}` plus optional details."""

    def __init__(self, error: str, *, messages: list[str] | None = None, violations: list[str] | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.violations = list(violations or [])
        self.messages = list(messages or self.violations)

    def body(self) -> dict[str, Any]:
        """The JSON body Slack would send."""
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": list(self.messages)}
        return body


def required(params: dict[str, Any], name: str, error: str = "invalid_arguments") -> Any:
    """A parameter that must be present and non-empty."""
    value = params.get(name)
    if value is None or value == "":
        raise SlackError(error, messages=[f"[ERROR] missing required field: {name}"])
    return value


def text_param(params: dict[str, Any], name: str) -> str | None:
    """An optional string parameter; empty counts as absent."""
    value = params.get(name)
    return str(value) if value not in (None, "") else None


def int_param(params: dict[str, Any], name: str, default: int) -> int:
    """An optional integer parameter."""
    value = params.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise SlackError("invalid_arguments", messages=[f"[ERROR] {name} must be an integer"]) from error


def id_list(value: Any) -> list[str]:
    """Ids given as a comma-separated string or a list."""
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def paginate(items: Sequence[T], params: dict[str, Any], default_limit: int = 100) -> tuple[list[T], str]:
    """One page of items per `cursor`/`limit`, and the next cursor ("" at the end)."""
    limit = int_param(params, "limit", default_limit)
    limit = default_limit if limit <= 0 else limit
    start = _offset(params.get("cursor"))
    page = list(items[start : start + limit])
    more = start + limit < len(items)
    return page, _cursor(start + limit) if more else ""


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode("ascii")).decode("ascii")


def _offset(cursor: Any) -> int:
    if not cursor:
        return 0
    try:
        decoded = base64.b64decode(str(cursor), validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError) as error:
        raise SlackError("invalid_cursor") from error
    kind, _, number = decoded.partition(":")
    if kind != "offset" or not (number.isascii() and number.isdigit()):
        raise SlackError("invalid_cursor")
    return int(number)
