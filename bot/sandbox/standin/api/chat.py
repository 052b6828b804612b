"""chat.* methods: post, update, delete, ephemeral, permalink."""

from __future__ import annotations

from typing import Any

from bot.sandbox.standin.api.params import SlackError, required, text_param
from bot.sandbox.standin.api.targets import known_channel, postable_channel
from bot.sandbox.standin.blockkit import validate_message
from bot.sandbox.standin.wire import flag
from bot.sandbox.standin.workspace import Channel, Message, Workspace


def content(params: dict[str, Any], *, required_text: bool) -> dict[str, Any]:
    """The text/blocks/attachments of a message, checked against Block Kit limits."""
    text, blocks, attachments = params.get("text"), params.get("blocks"), params.get("attachments")
    if required_text and not text and not blocks and not attachments:
        raise SlackError("no_text")
    violations = validate_message(blocks, text)
    if violations:
        only_text = all(v.startswith("text:") for v in violations)
        raise SlackError("msg_too_long" if only_text else "invalid_blocks", violations=violations)
    return {
        "text": str(text or ""),
        "blocks": blocks if isinstance(blocks, list) else None,
        "attachments": attachments if isinstance(attachments, list) else None,
    }


def metadata(params: dict[str, Any]) -> dict[str, Any] | None:
    """Message metadata ({"event_type", "event_payload"}), if given."""
    value = params.get("metadata")
    if value in (None, ""):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("event_type"), str):
        raise SlackError("invalid_metadata_format")
    if not isinstance(value.get("event_payload", {}), dict):
        raise SlackError("invalid_metadata_format")
    return value


def post_message(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """chat.postMessage: store a bot message in a channel, DM or thread."""
    channel = postable_channel(ws, params.get("channel"))
    body = content(params, required_text=True)
    message = ws.add_message(
        channel.id,
        user=ws.bot_user_id,
        bot_id=ws.bot_id,
        metadata=metadata(params),
        thread_ts=text_param(params, "thread_ts"),
        reply_broadcast=flag(params.get("reply_broadcast")),
        **body,
    )
    return {"channel": channel.id, "ts": message.ts, "message": _shown(ws, message)}


def update(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """chat.update: replace the text/blocks of one of the bot's messages."""
    channel, existing = _own_message(ws, params, "cant_update_message")
    body = content(params, required_text=False)
    changes: dict[str, Any] = {key: body[key] for key in ("text", "blocks", "attachments") if key in params}
    if "metadata" in params:
        changes["metadata"] = metadata(params)
    changes["edited"] = {"user": ws.bot_user_id, "ts": ws.timestamps.next()}
    message = ws.edit_message(channel.id, existing.ts, **changes)
    assert message is not None
    return {"channel": channel.id, "ts": message.ts, "text": message.text, "message": _shown(ws, message)}


def delete(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """chat.delete: remove one of the bot's messages."""
    channel, existing = _own_message(ws, params, "cant_delete_message")
    ws.delete_message(channel.id, existing.ts)
    return {"channel": channel.id, "ts": existing.ts}


def post_ephemeral(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """chat.postEphemeral: a message only `user` sees (not stored in history)."""
    channel = postable_channel(ws, params.get("channel"))
    user = ws.user(str(params.get("user") or ""))
    if user is None:
        raise SlackError("user_not_found")
    if user.id not in channel.members:
        raise SlackError("user_not_in_channel")
    content(params, required_text=True)
    return {"message_ts": ws.timestamps.next()}


def get_permalink(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """chat.getPermalink: a link to a stored message."""
    channel = known_channel(ws, params.get("channel"))
    ts = str(required(params, "message_ts"))
    if ws.message(channel.id, ts) is None:
        raise SlackError("message_not_found")
    link = f"https://{ws.domain}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
    return {"channel": channel.id, "permalink": link}


def _own_message(ws: Workspace, params: dict[str, Any], not_own_error: str) -> tuple[Channel, Message]:
    """The channel and message named by `channel` + `ts`, which the bot must have posted."""
    channel = known_channel(ws, params.get("channel"))
    existing = ws.message(channel.id, str(params.get("ts") or ""))
    if existing is None:
        raise SlackError("message_not_found")
    if existing.user != ws.bot_user_id:
        raise SlackError(not_own_error)
    return channel, existing


def _shown(ws: Workspace, message: Message) -> dict[str, Any]:
    return message.to_api(team_id=ws.team_id)
