"""Block Kit limit checks, so the stand-in refuses what real Slack would refuse."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40_000
SECTION_TEXT = 3000
SECTION_FIELDS = 10
FIELD_TEXT = 2000
HEADER_TEXT = 150
BUTTON_TEXT = 75
IDENTIFIER = 255
BUTTON_VALUE = 2000
URL = 3000
ACTIONS_ELEMENTS = 25
CONTEXT_ELEMENTS = 10
MODAL_TITLE = 24
LABEL_TEXT = 2000
PRIVATE_METADATA = 3000

KNOWN_BLOCK_TYPES = frozenset(
    {"section", "divider", "image", "actions", "context", "input", "header", "rich_text", "file", "video"}
)
VIEW_TYPES = frozenset({"modal", "home"})
TEXT_TYPES = frozenset({"plain_text", "mrkdwn"})


def validate_message(blocks: Any, text: Any = None) -> list[str]:
    """Violations in a message's `blocks` (list or JSON string) and `text`."""
    problems = _too_long(text, MESSAGE_TEXT, "text") if isinstance(text, str) else []
    if blocks is None:
        return problems
    decoded, decode_problems = _decoded(blocks, "blocks")
    if decode_problems:
        return problems + decode_problems
    return problems + _validate_blocks(decoded, "blocks", MESSAGE_BLOCKS)


def validate_view(view: Any) -> list[str]:
    """Violations in a modal or Home tab view (dict or JSON string)."""
    decoded, problems = _decoded(view, "view")
    if problems:
        return problems
    if not isinstance(decoded, dict):
        return ["view: must be an object"]
    problems = _view_type(decoded)
    if decoded.get("type") == "modal":
        problems += _modal_buttons(decoded)
    problems += _too_long(decoded.get("private_metadata"), PRIVATE_METADATA, "view.private_metadata")
    problems += _too_long(decoded.get("callback_id"), IDENTIFIER, "view.callback_id")
    problems += _too_long(decoded.get("external_id"), IDENTIFIER, "view.external_id")
    blocks, block_problems = _decoded(decoded.get("blocks"), "view.blocks")
    if blocks is None and not block_problems:
        return [*problems, "view.blocks: required"]
    return problems + (block_problems or _validate_blocks(blocks, "view.blocks", VIEW_BLOCKS))


def _decoded(value: Any, path: str) -> tuple[Any, list[str]]:
    """Decode a JSON string; other values pass through."""
    if not isinstance(value, str):
        return value, []
    try:
        return json.loads(value), []
    except json.JSONDecodeError:
        return None, [f"{path}: not valid JSON"]


def _too_long(value: Any, limit: int, path: str) -> list[str]:
    """A violation if the string is longer than the limit."""
    if isinstance(value, str) and len(value) > limit:
        return [f"{path}: {len(value)} characters, at most {limit} allowed"]
    return []


def _too_many(items: Any, limit: int, path: str, what: str) -> list[str]:
    """A violation if the list holds more than the limit."""
    if isinstance(items, list) and len(items) > limit:
        return [f"{path}: {len(items)} {what}, at most {limit} allowed"]
    return []


def _text_object(value: Any, limit: int, path: str, *, plain_only: bool = False) -> list[str]:
    """Violations in a composition text object ({"type": "plain_text", "text": ...})."""
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        return [f"{path}: must be a text object with a `text` string"]
    allowed = {"plain_text"} if plain_only else TEXT_TYPES
    if value.get("type") not in allowed:
        return [f"{path}.type: must be {' or '.join(sorted(allowed))}"]
    return _too_long(value["text"], limit, f"{path}.text")


def _view_type(view: dict[str, Any]) -> list[str]:
    if view.get("type") not in VIEW_TYPES:
        return [f"view.type: must be modal or home, got {view.get('type')!r}"]
    return []


def _modal_buttons(view: dict[str, Any]) -> list[str]:
    """Title, submit and close of a modal: plain_text, at most 24 characters."""
    problems = _text_object(view.get("title"), MODAL_TITLE, "view.title", plain_only=True)
    for name in ("submit", "close"):
        if view.get(name) is not None:
            problems += _text_object(view[name], MODAL_TITLE, f"view.{name}", plain_only=True)
    blocks = view.get("blocks")
    has_input = isinstance(blocks, list) and any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    if has_input and view.get("submit") is None:
        problems.append("view.submit: required when the modal has input blocks")
    return problems


def _validate_blocks(blocks: Any, path: str, limit: int) -> list[str]:
    if not isinstance(blocks, list):
        return [f"{path}: must be a list of blocks"]
    problems = _too_many(blocks, limit, path, "blocks")
    for index, block in enumerate(blocks):
        problems += _validate_block(block, f"{path}[{index}]")
    return problems


def _validate_block(block: Any, path: str) -> list[str]:
    if not isinstance(block, dict):
        return [f"{path}: must be an object"]
    kind = block.get("type")
    if kind not in KNOWN_BLOCK_TYPES:
        return [f"{path}.type: unknown block type {kind!r}"]
    problems = _too_long(block.get("block_id"), IDENTIFIER, f"{path}.block_id")
    check = _BLOCK_CHECKS.get(kind)
    return problems + (check(block, path) if check else [])


def _section(block: dict[str, Any], path: str) -> list[str]:
    text, fields = block.get("text"), block.get("fields")
    if text is None and not fields:
        return [f"{path}: a section needs `text` or `fields`"]
    problems = _text_object(text, SECTION_TEXT, f"{path}.text") if text is not None else []
    if fields is not None:
        problems += _section_fields(fields, f"{path}.fields")
    if block.get("accessory") is not None:
        problems += _element(block["accessory"], f"{path}.accessory")
    return problems


def _section_fields(fields: Any, path: str) -> list[str]:
    if not isinstance(fields, list):
        return [f"{path}: must be a list of text objects"]
    problems = _too_many(fields, SECTION_FIELDS, path, "fields")
    for index, item in enumerate(fields):
        problems += _text_object(item, FIELD_TEXT, f"{path}[{index}]")
    return problems


def _header(block: dict[str, Any], path: str) -> list[str]:
    return _text_object(block.get("text"), HEADER_TEXT, f"{path}.text", plain_only=True)


def _actions(block: dict[str, Any], path: str) -> list[str]:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements:
        return [f"{path}.elements: an actions block needs at least one element"]
    problems = _too_many(elements, ACTIONS_ELEMENTS, f"{path}.elements", "elements")
    for index, element in enumerate(elements):
        problems += _element(element, f"{path}.elements[{index}]")
    return problems


def _context(block: dict[str, Any], path: str) -> list[str]:
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements:
        return [f"{path}.elements: a context block needs at least one element"]
    return _too_many(elements, CONTEXT_ELEMENTS, f"{path}.elements", "elements")


def _input(block: dict[str, Any], path: str) -> list[str]:
    problems = []
    if block.get("label") is None:
        problems.append(f"{path}.label: required in an input block")
    else:
        problems += _text_object(block["label"], LABEL_TEXT, f"{path}.label", plain_only=True)
    if block.get("element") is None:
        problems.append(f"{path}.element: required in an input block")
    else:
        problems += _element(block["element"], f"{path}.element")
    return problems


def _image(block: dict[str, Any], path: str) -> list[str]:
    problems = [] if block.get("alt_text") else [f"{path}.alt_text: required in an image block"]
    if not block.get("image_url") and not block.get("slack_file"):
        problems.append(f"{path}.image_url: an image block needs image_url or slack_file")
    return problems + _too_long(block.get("image_url"), URL, f"{path}.image_url")


def _element(element: Any, path: str) -> list[str]:
    """Violations in an interactive element (button, select, input...)."""
    if not isinstance(element, dict) or not isinstance(element.get("type"), str):
        return [f"{path}: must be an element object with a `type`"]
    problems = _too_long(element.get("action_id"), IDENTIFIER, f"{path}.action_id")
    if element["type"] == "button":
        problems += _button(element, path)
    return problems


def _button(button: dict[str, Any], path: str) -> list[str]:
    problems = _text_object(button.get("text"), BUTTON_TEXT, f"{path}.text", plain_only=True)
    problems += _too_long(button.get("value"), BUTTON_VALUE, f"{path}.value")
    return problems + _too_long(button.get("url"), URL, f"{path}.url")


_BLOCK_CHECKS: dict[str, Callable[[dict[str, Any], str], list[str]]] = {
    "section": _section,
    "header": _header,
    "actions": _actions,
    "context": _context,
    "input": _input,
    "image": _image,
}
