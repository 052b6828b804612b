"""How the delivery worker reads Slack's answers (permanent, retry, or "may have happened"), and when people work."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo


class Verdict(Enum):
    """What an answer from Slack means for the message."""

    SENT = "sent"  # done, or already so (`already_pinned`)
    RATE_LIMITED = "rate_limited"  # wait Retry-After, and slow that method down
    MAYBE_DONE = "maybe_done"  # it may have happened: look before trying again
    RETRY = "retry"  # it did not happen, and may later
    WAIT_FOR_ADMIN = "wait_for_admin"  # the token or its scopes: nothing works until an admin acts
    FAILED = "failed"  # it never will: record it, and tell whose action it was


# Slack's documented error codes for the methods copbot calls (chat.postMessage, chat.update,
# chat.postEphemeral, chat.delete, views.*, conversations.join/open/history/replies/members,
# users.info, reactions.add, pins.add), from the method reference pages, grouped by what a retry can do.
RATE_LIMITED_ERRORS = frozenset({"ratelimited", "rate_limited"})
# "It's possible some aspect of the operation succeeded before the error was raised" (Slack, of these).
MAYBE_DONE_ERRORS = frozenset({"internal_error", "fatal_error", "update_failed"})
TRANSIENT_ERRORS = frozenset(
    {
        "service_unavailable",
        "request_timeout",  # Slack did not receive the whole request
        "team_added_to_org",
        "org_login_required",
        "message_limit_exceeded",
        "external_channel_migrating",
        "fetch_members_failed",
        "streaming_state_conflict",
        "unable_to_share_files",
    }
)
ALREADY_DONE_ERRORS = frozenset({"already_reacted", "already_pinned", "already_in_channel"})
ADMIN_ERRORS = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "not_allowed_token_type",
        "accesslimited",
        "app_access_restricted",
        "enterprise_is_restricted",
        "two_factor_setup_required",
        "upgrade_required",
        "not_enabled",
    }
)
# Errors about one message or its target that no later attempt fixes. Any other clear error code
# is treated the same (and logged as unknown): failing fast beats holding a channel's lane for a day.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "channel_is_limited_access",
        # Per channel or per person, not the whole token: a workspace admin's posting rules
        # for one channel, or a Slack Connect channel whose other team did not grant access.
        "no_permission",
        "access_denied",
        "team_access_not_granted",
        "is_archived",
        "not_in_channel",
        "user_not_in_channel",
        "posting_to_channel_denied",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel",
        "restricted_action_thread_locked",
        "thread_locked",
        "thread_not_found",
        "cannot_reply_to_message",
        "ekm_access_denied",
        "user_not_found",
        "user_not_visible",
        "user_disabled",
        "user_is_bot",
        "is_bot",
        "cannot_dm_bot",
        "user_is_restricted",
        "user_is_ultra_restricted",
        "messages_tab_disabled",
        "method_not_supported_for_channel_type",
        "invalid_blocks",
        "invalid_blocks_format",
        "invalid_attachments",
        "invalid_arguments",
        "invalid_metadata_format",
        "invalid_metadata_schema",
        "metadata_too_large",
        "msg_too_long",
        "msg_blocks_too_long",
        "markdown_text_conflict",
        "no_text",
        "too_many_attachments",
        "too_many_emoji",
        "view_too_large",
        "message_not_found",
        "cant_update_message",
        "cant_delete_message",
        "edit_window_closed",
        "hash_conflict",
        "duplicate_external_id",
        "expired_trigger_id",
        "exchanged_trigger_id",
        "invalid_trigger_id",
        "push_limit_reached",
        "not_found",
        "team_not_found",
        "invalid_json",
        "json_not_object",
        "invalid_form_data",
        "invalid_charset",
        "missing_charset",
        "superfluous_charset",
        "invalid_arg_name",
        "invalid_array_arg",
        "unknown_method",
        "method_deprecated",
        "deprecated_endpoint",
        "not_implemented",
    }
)
_ERROR_CODE = re.compile(r"[a-z][a-z0-9_]*")


def judge(status: int, error: object) -> Verdict:
    """What Slack's answer (HTTP status and `error`, for an answer that was not ok) means.

    Only a clear Slack error says an attempt did not happen: a 5xx, or an answer that is not
    a Slack error at all (a 200 whose body is not JSON), may have followed a real post.
    """
    if status == 429:
        return Verdict.RATE_LIMITED
    if not (isinstance(error, str) and _ERROR_CODE.fullmatch(error)):
        return Verdict.MAYBE_DONE
    if error in RATE_LIMITED_ERRORS:
        return Verdict.RATE_LIMITED
    if status >= 500 or error in MAYBE_DONE_ERRORS:
        return Verdict.MAYBE_DONE
    if error in ALREADY_DONE_ERRORS:
        return Verdict.SENT
    if error in TRANSIENT_ERRORS:
        return Verdict.RETRY
    if error in ADMIN_ERRORS:
        return Verdict.WAIT_FOR_ADMIN
    return Verdict.FAILED


def explain(error: str | None) -> str:
    """Why a message could not be delivered, for the person whose action it carried."""
    if error in ("is_archived", "channel_is_archived"):
        return "the channel is archived"
    if error in ("not_in_channel", "channel_not_found", "method_not_supported_for_channel_type"):
        return "I'm not in that channel and couldn't join it — invite copbot there (`/invite @copbot`) and try again"
    if error and (error.startswith("restricted_action") or error in ("posting_to_channel_denied", "ekm_access_denied")):
        return "only some people may post in that channel"
    if error in ("no_permission", "access_denied", "team_access_not_granted"):
        return "copbot isn't allowed to post there (a workspace admin's setting for that channel)"
    if error in ("thread_locked", "thread_not_found", "cannot_reply_to_message"):
        return "that thread is locked or gone"
    return f"Slack refused it (`{error}`)"


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
