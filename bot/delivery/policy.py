"""How the delivery worker reads Slack's answers (permanent, retry, or "may have happened"), and when people work."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

# Errors that another attempt cannot fix: recorded on the message, not retried.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "user_not_found",
        "user_disabled",
        "account_inactive",
        "is_archived",
        "not_in_channel",
        "cannot_dm_bot",
        "messages_tab_disabled",
        "restricted_action",
        "invalid_blocks",
        "invalid_blocks_format",
        "invalid_arguments",
        "msg_too_long",
        "no_text",
        "too_many_attachments",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
        "invalid_metadata_format",
        "method_not_supported_for_channel_type",
        "not_found",
    }
)
# Slack documents that with these (and any 5xx) part of the operation may have succeeded.
MAYBE_DONE_ERRORS = frozenset({"internal_error", "fatal_error", "request_timeout", "service_unavailable"})
MAX_BACKOFF = timedelta(minutes=10)
DEFAULT_RETRY_AFTER = 30


def retry_after_seconds(headers: Mapping[str, Any] | None) -> int:
    """Seconds from a 429's `Retry-After` header (at least 1; 30 when absent or unreadable)."""
    for key, value in dict(headers or {}).items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return max(1, int(raw))
            except (TypeError, ValueError):
                return DEFAULT_RETRY_AFTER
    return DEFAULT_RETRY_AFTER


def backoff(attempts: int, jitter: float) -> timedelta:
    """Exponential backoff after `attempts` failures (1 s, 2 s, 4 s … capped at 10 min), jittered ±25 %."""
    base = min(2 ** max(attempts - 1, 0), MAX_BACKOFF.total_seconds())
    return timedelta(seconds=base * (0.75 + 0.5 * jitter))


WORKDAY_START = time(9, 0)
WORKDAY_END = time(17, 0)


def working_hours_start(now: datetime, zone: ZoneInfo) -> datetime:
    """`now` when it falls within 09:00–17:00, Monday to Friday, in `zone`; else when those hours next begin."""
    local = now.astimezone(zone)
    for days_ahead in range(8):
        day = local.date() + timedelta(days=days_ahead)
        if day.weekday() >= 5:
            continue
        start = datetime.combine(day, WORKDAY_START, tzinfo=zone)
        end = datetime.combine(day, WORKDAY_END, tzinfo=zone)
        if local < start:
            return start
        if local < end:
            return now
    raise AssertionError("a week always has a working day")
