"""Resolving the `channel` and `user` parameters the way Slack does, with Slack's errors."""

from __future__ import annotations

from typing import Any

from bot.sandbox.standin.api.params import SlackError
from bot.sandbox.standin.workspace import Channel, User, Workspace


def active_user(ws: Workspace, user_id: Any, *, disabled_error: str = "user_not_found") -> User:
    """A known user who has not been deactivated."""
    user = ws.user(str(user_id or "")) or (ws.user_by_name(str(user_id)) if str(user_id).startswith("@") else None)
    if user is None:
        raise SlackError("user_not_found")
    if user.deleted:
        raise SlackError(disabled_error)
    return user


def looks_like_user(ref: str) -> bool:
    """True for a user id (U…/W…) or an @name."""
    return ref[:1] in {"U", "W", "@"}


def user_dm(ws: Workspace, ref: str) -> Channel:
    """The bot's DM with a user given by id or @name, opened on demand."""
    user = ws.user(ref) or (ws.user_by_name(ref) if ref.startswith("@") else None)
    if user is None:
        raise SlackError("channel_not_found")
    if user.deleted:
        raise SlackError("user_disabled")
    if user.is_bot:
        raise SlackError("cannot_dm_bot")
    return ws.dm_channel_for(user.id)


def lookup(ws: Workspace, ref: str) -> Channel | None:
    """A conversation by id, or a channel by (#)name."""
    return ws.channel(ref) or ws.channel_by_name(ref)


def known_channel(ws: Workspace, ref: Any) -> Channel:
    """A conversation the bot can see: public channels, and private ones it is in."""
    ref = str(ref or "")
    if not ref:
        raise SlackError("channel_not_found")
    if looks_like_user(ref) and ws.channel(ref) is None:
        return user_dm(ws, ref)
    channel = lookup(ws, ref)
    if channel is None or (channel.is_private and ws.bot_user_id not in channel.members):
        raise SlackError("channel_not_found")
    return channel


def member_channel(ws: Workspace, ref: Any) -> Channel:
    """A conversation the bot is a member of (else `not_in_channel`)."""
    channel = known_channel(ws, ref)
    if ws.bot_user_id not in channel.members:
        raise SlackError("not_in_channel")
    return channel


def postable_channel(ws: Workspace, ref: Any) -> Channel:
    """Where chat.postMessage may post: a member channel that is not archived, or a live user's DM."""
    channel = known_channel(ws, ref)
    if channel.is_archived:
        raise SlackError("is_archived")
    if ws.bot_user_id not in channel.members:
        raise SlackError("not_in_channel")
    if channel.is_im and channel.user is not None:
        user = ws.user(channel.user)
        if user is not None and user.deleted:
            raise SlackError("user_disabled")
    return channel
