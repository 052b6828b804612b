"""The Web API methods the stand-in implements, each `(workspace, params) -> answer`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.sandbox.standin.api import chat, conversations, misc, users, views
from bot.sandbox.standin.api.params import SlackError
from bot.sandbox.standin.workspace import Workspace

Method = Callable[[Workspace, dict[str, Any]], dict[str, Any]]

METHODS: dict[str, Method] = {
    "api.test": misc.api_test,
    "auth.test": misc.auth_test,
    "team.info": misc.team_info,
    "chat.postMessage": chat.post_message,
    "chat.update": chat.update,
    "chat.delete": chat.delete,
    "chat.postEphemeral": chat.post_ephemeral,
    "chat.getPermalink": chat.get_permalink,
    "conversations.open": conversations.open_conversation,
    "conversations.join": conversations.join,
    "conversations.info": conversations.info,
    "conversations.members": conversations.members,
    "conversations.history": conversations.history,
    "conversations.replies": conversations.replies,
    "conversations.list": conversations.list_conversations,
    "users.info": users.info,
    "users.list": users.list_users,
    "views.open": views.open_view,
    "views.push": views.push,
    "views.update": views.update,
    "views.publish": views.publish,
    "reactions.add": misc.accept,
    "reactions.remove": misc.accept,
    "pins.add": misc.accept,
    "pins.remove": misc.accept,
}


def call(ws: Workspace, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run a method against the workspace (under its lock); the answer body, or SlackError."""
    with ws.lock:
        return {"ok": True, **METHODS[method](ws, params)}


__all__ = ["METHODS", "Method", "SlackError", "call"]
