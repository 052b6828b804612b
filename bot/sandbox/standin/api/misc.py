"""Small methods: auth.test, api.test, team.info, and reactions/pins that simply succeed."""

from __future__ import annotations

from typing import Any

from bot.sandbox.standin.api.params import SlackError
from bot.sandbox.standin.workspace import Workspace


def auth_test(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """auth.test: who the token belongs to."""
    bot = ws.user(ws.bot_user_id)
    return {
        "url": f"https://{ws.domain}.slack.com/",
        "team": ws.team_name,
        "user": bot.name if bot else "copbot",
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "is_enterprise_install": False,
    }


def api_test(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """api.test: echo the arguments, or fail with `error`."""
    if params.get("error"):
        raise SlackError(str(params["error"]))
    return {"args": {key: value for key, value in params.items() if key != "token"}}


def team_info(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """team.info: the workspace."""
    return {"team": {"id": ws.team_id, "name": ws.team_name, "domain": ws.domain}}


def accept(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """Methods the stand-in only acknowledges (reactions, pins)."""
    return {}
