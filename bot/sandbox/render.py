"""Slack messages and views as plain text, for `copbot shell`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.slack.markup import plain_text


@dataclass
class Button:
    """A button the shell user can `click`."""

    label: str
    action_id: str
    value: str
    block_id: str
    url: str | None = None


@dataclass
class Rendered:
    """Text lines of a message or view, and its buttons in order."""

    lines: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)


def render_blocks(blocks: list[dict[str, Any]], name_of: Callable[[str], str], *, first_button: int = 1) -> Rendered:
    """Each block as a few lines; buttons numbered from `first_button`."""
    rendered = Rendered()
    for block in blocks:
        _render_block(block, rendered, name_of, first_button)
    return rendered


def _text(obj: dict[str, Any] | None, name_of: Callable[[str], str]) -> str:
    if not obj:
        return ""
    return plain_text(str(obj.get("text", "")), name_of)


def _render_block(block: dict[str, Any], out: Rendered, name_of: Callable[[str], str], first: int) -> None:
    kind = block.get("type")
    if kind == "header":
        out.lines.append(_text(block.get("text"), name_of).upper())
    elif kind == "section":
        if block.get("text"):
            out.lines.extend(_text(block["text"], name_of).splitlines())
        for item in block.get("fields") or []:
            out.lines.append("  " + _text(item, name_of).replace("\n", " "))
        if block.get("accessory"):
            _render_element(block["accessory"], block.get("block_id", ""), out, name_of, first)
    elif kind == "context":
        parts = [_text(element, name_of) for element in block.get("elements", []) if element.get("type") != "image"]
        out.lines.append("(" + " · ".join(part for part in parts if part) + ")")
    elif kind == "divider":
        out.lines.append("─" * 24)
    elif kind == "actions":
        for element in block.get("elements", []):
            _render_element(element, block.get("block_id", ""), out, name_of, first)
    elif kind == "input":
        label = _text(block.get("label"), name_of)
        optional = " (optional)" if block.get("optional") else ""
        element = block.get("element", {})
        if element.get("type") == "static_select":
            options = " | ".join(option["value"] for option in element.get("options", []))
            chosen = (element.get("initial_option") or {}).get("value", "")
            out.lines.append(f"{label}{optional}: [{block.get('block_id', '?')}] {chosen or '…'}  (one of: {options})")
        else:
            current = element.get("initial_value", "")
            out.lines.append(f"{label}{optional}: [{block.get('block_id', '?')}] {current or '______'}")
    elif kind == "image":
        out.lines.append(f"[image: {block.get('alt_text', '')}]")


def _render_element(
    element: dict[str, Any], block_id: str, out: Rendered, name_of: Callable[[str], str], first: int
) -> None:
    if element.get("type") != "button":
        placeholder = _text(element.get("placeholder"), name_of) or element.get("type", "")
        out.lines.append(f"  <{placeholder}>")
        return
    number = first + len(out.buttons)
    label = _text(element.get("text"), name_of)
    out.buttons.append(
        Button(
            label=label,
            action_id=element.get("action_id", ""),
            value=element.get("value", ""),
            block_id=block_id,
            url=element.get("url"),
        )
    )
    out.lines.append(f"  [{number}] {label}")


def form_values(view: dict[str, Any], given: dict[str, str]) -> dict[str, Any]:
    """Slack's `view.state.values` for a modal: given fields, the rest at their initial values."""
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        block_id, element = block.get("block_id", ""), block.get("element", {})
        action_id = element.get("action_id", "value")
        if element.get("type") == "static_select":
            wanted = given.get(block_id)
            option = next((o for o in element.get("options", []) if wanted in (o["value"], o["text"]["text"])), None)
            values[block_id] = {
                action_id: {"type": "static_select", "selected_option": option or element.get("initial_option")}
            }
        else:
            values[block_id] = {
                action_id: {
                    "type": element.get("type", "plain_text_input"),
                    "value": given.get(block_id, element.get("initial_value", "")),
                }
            }
    return values
