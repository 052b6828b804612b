"""users.* methods: info and list."""

from __future__ import annotations

from typing import Any

from bot.sandbox.standin.api.params import SlackError, paginate
from bot.sandbox.standin.workspace import Workspace


def info(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """users.info: one user (deactivated users included, with `deleted: true`)."""
    user = ws.user(str(params.get("user") or ""))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": user.to_api(team_id=ws.team_id, now=ws.clock())}


def list_users(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """users.list: every member, cursor-paginated."""
    page, next_cursor = paginate(ws.users(), params, default_limit=200)
    now = ws.clock()
    members = [user.to_api(team_id=ws.team_id, now=now) for user in page]
    return {"members": members, "cache_ts": int(now), "response_metadata": {"next_cursor": next_cursor}}
