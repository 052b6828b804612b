"""Reading what a person entered in a submitted modal or pressed in a message, and answering the press."""

from __future__ import annotations

from typing import Any

from bot.delivery.outbox import reply_privately
from handlers.services import Services


def input_text(view: dict[str, Any], block_id: str) -> str:
    """What the person typed into a plain-text input of a submitted modal, stripped."""
    state = view.get("state", {}).get("values", {}).get(block_id, {})
    return str((state.get("value") or {}).get("value") or "").strip()


def selected_option(view: dict[str, Any], block_id: str) -> str | None:
    """The value of the option chosen in a static select of a submitted modal."""
    state = view.get("state", {}).get("values", {}).get(block_id, {})
    value = ((state.get("value") or {}).get("selected_option") or {}).get("value")
    return str(value) if value is not None else None


def private_id(view: dict[str, Any]) -> int:
    """The id a modal carries in its private metadata (0, which no row has, when there is none)."""
    return number(view.get("private_metadata"))


def number(value: object) -> int:
    """A button's or modal's numeric value (0, which no row has, when it is not a number)."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else 0


def tell(services: Services, body: dict[str, Any], text: str, *, blocks: list[dict[str, Any]] | None = None) -> None:
    """Answer a press privately: ephemeral through its response_url, else (a shortcut, a modal) a DM.

    The answer is queued, in a transaction of its own: the ack never waits on Slack, and a
    refused change that was rolled back still gets its explanation through.
    """
    user_id = (body.get("user") or {}).get("id")
    if not isinstance(user_id, str):
        return
    with services.sessions.begin() as session:
        reply_privately(
            session,
            user_id=user_id,
            response_url=body.get("response_url"),
            text=text,
            blocks=blocks,
            kind="reply",
            now=services.clock.now(),
        )


def open_form(services: Services, body: dict[str, Any], view: dict[str, Any]) -> bool:
    """Open a modal for a press; when Slack will not (its trigger expired, a 429), say so to the person."""
    if services.modals.open(body.get("trigger_id"), view):
        return True
    tell(services, body, "Slack didn't let me open the form just now. Please try again.")
    return False
