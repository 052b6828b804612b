"""Opening modals: one short Slack call, made outside any database transaction."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

if TYPE_CHECKING:
    from bot.app import Copbot

log = logging.getLogger(__name__)


def open_view(copbot: Copbot, trigger_id: str | None, view: dict[str, Any]) -> bool:
    """Open a modal for a trigger; False (logged) when Slack refuses or does not answer in time."""
    try:
        copbot.ack_client.views_open(trigger_id=trigger_id, view=view)
    except (SlackApiError, TimeoutError, OSError) as error:
        log.warning("views.open failed: %s", error)
        return False
    return True


def input_text(view: dict[str, Any], block_id: str) -> str:
    """What the person typed into a plain-text input of a submitted modal, stripped."""
    state = view.get("state", {}).get("values", {}).get(block_id, {})
    return str((state.get("value") or {}).get("value") or "").strip()


def selected_option(view: dict[str, Any], block_id: str) -> str | None:
    """The value of the option chosen in a static select of a submitted modal."""
    state = view.get("state", {}).get("values", {}).get(block_id, {})
    return ((state.get("value") or {}).get("selected_option") or {}).get("value")
