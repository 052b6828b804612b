"""conversations.* methods: open, join, info, members, history, replies, list."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from bot.sandbox.standin.api.params import SlackError, id_list, paginate, required
from bot.sandbox.standin.api.targets import active_user, known_channel, lookup, member_channel
from bot.sandbox.standin.wire import flag
from bot.sandbox.standin.workspace import Channel, Message, Workspace, ts_key


def open_conversation(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """conversations.open: the bot's DM (one user) or group DM (several), same id every time."""
    if params.get("channel"):
        channel = known_channel(ws, params["channel"])
        return {"no_op": True, "already_open": True, "channel": _opened(ws, channel, params)}
    user_ids = id_list(params.get("users"))
    if not user_ids:
        raise SlackError("users_list_not_supplied")
    users = [active_user(ws, user_id, disabled_error="user_disabled") for user_id in user_ids]
    if len(users) == 1:
        already = ws.existing_dm(users[0].id) is not None
        channel = ws.dm_channel_for(users[0].id)
        return {"no_op": already, "already_open": already, "channel": _opened(ws, channel, params)}
    channel = ws.open_group_dm([user.id for user in users])
    return {"channel": _opened(ws, channel, params)}


def _opened(ws: Workspace, channel: Channel, params: dict[str, Any]) -> dict[str, Any]:
    if flag(params.get("return_im")):
        return channel.to_api(bot_user_id=ws.bot_user_id)
    return {"id": channel.id}


def join(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """conversations.join: add the bot to a public channel."""
    channel = lookup(ws, str(params.get("channel") or ""))
    if channel is None or (channel.is_private and ws.bot_user_id not in channel.members):
        raise SlackError("channel_not_found")
    if channel.is_im or channel.is_mpim or channel.is_private:
        raise SlackError("method_not_supported_for_channel_type")
    if channel.is_archived:
        raise SlackError("is_archived")
    answer: dict[str, Any] = {}
    if not ws.join(channel.id, ws.bot_user_id):
        answer = {"warning": "already_in_channel", "response_metadata": {"warnings": ["already_in_channel"]}}
    return {"channel": channel.to_api(bot_user_id=ws.bot_user_id), **answer}


def info(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """conversations.info: one conversation."""
    channel = known_channel(ws, params.get("channel"))
    return {"channel": channel.to_api(bot_user_id=ws.bot_user_id)}


def members(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """conversations.members: member ids, cursor-paginated."""
    channel = known_channel(ws, params.get("channel"))
    page, next_cursor = paginate(sorted(channel.members), params)
    return {"members": page, "response_metadata": {"next_cursor": next_cursor}}


def history(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """conversations.history: messages newest first within oldest/latest, `limit` at a time."""
    channel = member_channel(ws, params.get("channel"))
    window = _in_window(ws.history(channel.id), params)
    page, next_cursor = paginate(window, params)
    with_metadata = flag(params.get("include_all_metadata"))
    answer: dict[str, Any] = {
        "messages": [m.to_api(team_id=ws.team_id, include_metadata=with_metadata) for m in page],
        "has_more": bool(next_cursor),
        "pin_count": 0,
    }
    if next_cursor:
        answer["response_metadata"] = {"next_cursor": next_cursor}
    return answer


def replies(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """conversations.replies: a thread's parent and replies, oldest first."""
    channel = member_channel(ws, params.get("channel"))
    thread = ws.replies(channel.id, str(required(params, "ts")))
    if not thread:
        raise SlackError("thread_not_found")
    page, next_cursor = paginate(_in_window(thread, params), params, default_limit=1000)
    with_metadata = flag(params.get("include_all_metadata"))
    answer: dict[str, Any] = {
        "messages": [m.to_api(team_id=ws.team_id, include_metadata=with_metadata) for m in page],
        "has_more": bool(next_cursor),
    }
    if next_cursor:
        answer["response_metadata"] = {"next_cursor": next_cursor}
    return answer


def list_conversations(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """conversations.list: conversations of the requested `types` the bot can see."""
    types = set(id_list(params.get("types"))) or {"public_channel"}
    skip_archived = flag(params.get("exclude_archived"))
    visible = [c for c in ws.channels() if _type_of(c) in types and _visible(ws, c)]
    visible = [c for c in visible if not (skip_archived and c.is_archived)]
    page, next_cursor = paginate(visible, params)
    channels = [c.to_api(bot_user_id=ws.bot_user_id) for c in page]
    return {"channels": channels, "response_metadata": {"next_cursor": next_cursor}}


def _type_of(channel: Channel) -> str:
    if channel.is_im:
        return "im"
    if channel.is_mpim:
        return "mpim"
    return "private_channel" if channel.is_private else "public_channel"


def _visible(ws: Workspace, channel: Channel) -> bool:
    return not channel.is_private or ws.bot_user_id in channel.members


def _in_window(messages: list[Message], params: dict[str, Any]) -> list[Message]:
    """Messages strictly between `oldest` and `latest` (or including them with `inclusive`)."""
    oldest = _bound(params.get("oldest"), Decimal(0))
    latest = _bound(params.get("latest"), Decimal("Infinity"))
    inclusive = flag(params.get("inclusive"))
    if inclusive:
        return [m for m in messages if oldest <= ts_key(m.ts) <= latest]
    return [m for m in messages if oldest < ts_key(m.ts) < latest]


def _bound(value: Any, default: Decimal) -> Decimal:
    if value in (None, ""):
        return default
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise SlackError("invalid_ts_oldest" if default == 0 else "invalid_ts_latest") from error
