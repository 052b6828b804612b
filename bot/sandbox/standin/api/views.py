"""views.* methods: open, push, update, publish; every view is checked against Block Kit limits."""

from __future__ import annotations

from typing import Any

from bot.sandbox.standin.api.params import SlackError, required, text_param
from bot.sandbox.standin.api.targets import active_user
from bot.sandbox.standin.blockkit import validate_view
from bot.sandbox.standin.workspace import Workspace


def open_view(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """views.open: open a modal for a trigger."""
    required(params, "trigger_id")
    view = _checked(params, kind="modal")
    return {"view": ws.views.save(_full_view(ws, view, view_id=ws.new_id("V")))}


def push(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """views.push: push a modal onto the stack."""
    required(params, "trigger_id")
    view = _checked(params, kind="modal")
    return {"view": ws.views.save(_full_view(ws, view, view_id=ws.new_id("V")))}


def update(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """views.update: replace a view found by `view_id` or `external_id`, honouring `hash`."""
    existing = _existing(ws, params)
    view = _checked(params, kind=existing["type"])
    _check_hash(existing, params)
    full = _full_view(
        ws,
        view,
        view_id=existing["id"],
        root_view_id=existing.get("root_view_id"),
        previous_view_id=existing.get("previous_view_id"),
    )
    return {"view": ws.views.save(full)}


def publish(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    """views.publish: set a user's Home tab."""
    user = active_user(ws, required(params, "user_id"))
    view = _checked(params, kind="home")
    existing = ws.views.home(user.id)
    if existing is not None:
        _check_hash(existing, params)
    view_id = existing["id"] if existing else ws.new_id("V")
    return {"view": ws.views.publish_home(user.id, _full_view(ws, view, view_id=view_id))}


def _checked(params: dict[str, Any], *, kind: str) -> dict[str, Any]:
    """The `view` parameter, Block Kit-valid and of the expected type."""
    view = required(params, "view")
    violations = validate_view(view)
    if violations:
        raise SlackError("invalid_arguments", violations=violations)
    if not isinstance(view, dict) or view.get("type") != kind:
        raise SlackError("invalid_arguments", messages=[f"[ERROR] view.type must be {kind}"])
    return view


def _existing(ws: Workspace, params: dict[str, Any]) -> dict[str, Any]:
    view_id, external_id = text_param(params, "view_id"), text_param(params, "external_id")
    if view_id is None and external_id is None:
        raise SlackError("invalid_arguments", messages=["[ERROR] view_id or external_id is required"])
    found = ws.views.get(view_id) if view_id else ws.views.by_external_id(str(external_id))
    if found is None:
        raise SlackError("not_found")
    return found


def _check_hash(existing: dict[str, Any], params: dict[str, Any]) -> None:
    wanted = text_param(params, "hash")
    if wanted is not None and wanted != existing.get("hash"):
        raise SlackError("hash_conflict")


def _full_view(
    ws: Workspace,
    view: dict[str, Any],
    *,
    view_id: str,
    root_view_id: str | None = None,
    previous_view_id: str | None = None,
) -> dict[str, Any]:
    """The view object Slack answers with."""
    return {
        "id": view_id,
        "team_id": ws.team_id,
        "type": view["type"],
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "state": {"values": {}},
        "hash": f"{int(ws.clock())}.{ws.new_id('h')}",
        "title": view.get("title"),
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "close": view.get("close"),
        "submit": view.get("submit"),
        "previous_view_id": previous_view_id,
        "root_view_id": root_view_id or view_id,
        "app_id": ws.app_id,
        "external_id": view.get("external_id", ""),
        "app_installed_team_id": ws.team_id,
        "bot_id": ws.bot_id,
    }
