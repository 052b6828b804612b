"""Slack messages and views as plain text, for `copbot shell`."""

from __future__ import annotations

import re
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


BROADCAST = re.compile(r"<!(channel|here|everyone)(?:\|[^>]*)?>")


class FormError(ValueError):
    """A `submit` the form cannot take: an unknown field or a choice it does not offer."""


def _text(obj: dict[str, Any] | None, name_of: Callable[[str], str]) -> str:
    """Text as Slack shows it: what a person typed, escaped by copbot, shows literally (`<!channel>`);
    a real ping, which only copbot itself could send, is marked 🔔 so a tester cannot miss one."""
    if not obj:
        return ""
    return plain_text(BROADCAST.sub(r"🔔@\1", str(obj.get("text", ""))), name_of)


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    """A select's options, from its option groups too."""
    grouped = [option for group in element.get("option_groups") or [] for option in group.get("options", [])]
    return list(element.get("options") or []) + grouped


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
            options = " | ".join(option["text"]["text"] for option in _options(element))
            chosen = ((element.get("initial_option") or {}).get("text") or {}).get("text", "")
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
    """Slack's `view.state.values` for a modal: given fields, the rest at their initial values.
    FormError for a field the form does not have, or a choice a select does not offer (with the choices)."""
    inputs = [block for block in view.get("blocks", []) if block.get("type") == "input"]
    fields = [block.get("block_id", "") for block in inputs]
    unknown = [name for name in given if name not in fields]
    if unknown:
        raise FormError(f"[{unknown[0]}] this form has no such field; its fields are {', '.join(fields)}")
    values: dict[str, Any] = {}
    for block in inputs:
        block_id, element = block.get("block_id", ""), block.get("element", {})
        action_id = element.get("action_id", "value")
        if element.get("type") == "static_select":
            option = element.get("initial_option")
            if block_id in given:
                option = _chosen(element, block_id, given[block_id])
            values[block_id] = {action_id: {"type": "static_select", "selected_option": option}}
        else:
            values[block_id] = {
                action_id: {
                    "type": element.get("type", "plain_text_input"),
                    "value": given.get(block_id, element.get("initial_value", "")),
                }
            }
    return values


def _chosen(element: dict[str, Any], block_id: str, wanted: str) -> dict[str, Any]:
    """The option a person named, by the text they see (any case) or its value."""
    options = _options(element)
    for option in options:
        if wanted.lower() in (option["text"]["text"].lower(), str(option["value"]).lower()):
            return dict(option)
    choices = ", ".join(option["text"]["text"] for option in options)
    raise FormError(f"[{block_id}] `{wanted}` is not a choice here; choose one of: {choices}")
