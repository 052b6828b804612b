"""Reading what a person entered in a submitted modal or pressed in a message, and answering the press."""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond


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
    return int(text) if text.isdigit() and len(text) < 19 else 0


def tell(body: dict[str, Any], respond: Respond, text: str) -> None:
    """Answer a button press with an ephemeral note to the person who pressed it (when Slack gave a response_url)."""
    if body.get("response_url"):
        respond(text=text, response_type="ephemeral", replace_original=False)
