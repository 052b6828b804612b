"""Slack's size limits, and the one place every outgoing message and view is cut to fit them.

Builders keep lists short and say "and N more" themselves; this is the net
under them, so that no input, however long, makes Slack refuse a message
(`msg_too_long`, `invalid_blocks`) and leaves someone without it. Text is cut
at a safe place (never inside a `<…>` link or mention, nor an `&amp;` entity)
and ends with "…".
"""

from __future__ import annotations

from typing import Any

MESSAGE_TEXT = 40_000  # chat.postMessage and friends: text without blocks
FALLBACK_TEXT = 3_000  # text beside blocks is only the notification and screen-reader fallback
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3_000
SECTION_FIELDS = 10
FIELD_TEXT = 2_000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
CONTEXT_TEXT = 2_000
BUTTON_TEXT = 75
BUTTON_VALUE = 2_000
URL = 3_000
OPTIONS = 100
OPTION_TEXT = 75
OPTION_VALUE = 150
LABEL_TEXT = 2_000
PLACEHOLDER_TEXT = 150
INPUT_VALUE = 3_000
MODAL_TITLE = 24
PRIVATE_METADATA = 3_000
ELLIPSIS = "…"

_MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral")
_VIEW_METHODS = ("views.open", "views.push", "views.update", "views.publish")


def cut(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its start and "…", cut outside any markup token."""
    if len(text) <= limit:
        return text
    end = limit - len(ELLIPSIS)
    opened, closed = text.rfind("<", 0, end), text.rfind(">", 0, end)
    if opened > closed:  # inside a link or mention: cut before it
        end = opened
    ampersand = text.rfind("&", max(0, end - 5), end)
    if ampersand != -1 and ";" not in text[ampersand:end]:  # inside &amp; &lt; &gt;
        end = ampersand
    return text[:end].rstrip() + ELLIPSIS


def fit_payload(method: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A Web API call's arguments cut to Slack's limits (methods without text pass unchanged)."""
    if method in _MESSAGE_METHODS:
        return fit_message(payload)
    if method in _VIEW_METHODS and isinstance(payload.get("view"), dict):
        return {**payload, "view": fit_view(payload["view"])}
    if method == "response_url" and isinstance(payload.get("message"), dict):
        return {**payload, "message": fit_message(payload["message"])}
    return payload


def fit_message(message: dict[str, Any]) -> dict[str, Any]:
    """A message (post, update, ephemeral, command reply, response_url answer) cut to fit."""
    fitted = dict(message)
    blocks = message.get("blocks")
    if isinstance(message.get("text"), str):
        fitted["text"] = cut(message["text"], FALLBACK_TEXT if blocks else MESSAGE_TEXT)
    if isinstance(blocks, list):
        fitted["blocks"] = _fit_blocks(blocks, MESSAGE_BLOCKS)
    return fitted


def fit_view(view: dict[str, Any]) -> dict[str, Any]:
    """A modal or Home tab cut to fit."""
    fitted = dict(view)
    for name in ("title", "submit", "close"):
        if isinstance(view.get(name), dict):
            fitted[name] = _text_object(view[name], MODAL_TITLE)
    if isinstance(view.get("private_metadata"), str) and len(view["private_metadata"]) > PRIVATE_METADATA:
        fitted["private_metadata"] = ""  # cut metadata would be wrong metadata: the handler sees none
    if isinstance(view.get("blocks"), list):
        fitted["blocks"] = _fit_blocks(view["blocks"], VIEW_BLOCKS)
    return fitted


def _fit_blocks(blocks: list[Any], limit: int) -> list[Any]:
    fitted = [_fit_block(block) for block in blocks]
    if len(fitted) <= limit:
        return fitted
    # The buttons at the end (a list's *More*, a message's actions) are what lets people go on: they stay.
    tail = 1 if isinstance(fitted[-1], dict) and fitted[-1].get("type") == "actions" else 0
    kept = limit - 1 - tail
    note = {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": f"{ELLIPSIS} and {len(fitted) - kept - tail} more blocks"}],
    }
    return [*fitted[:kept], note, *fitted[len(fitted) - tail :]]


def _fit_block(block: Any) -> Any:
    if not isinstance(block, dict):
        return block
    fitted = dict(block)
    kind = block.get("type")
    if kind == "section":
        if isinstance(block.get("text"), dict):
            fitted["text"] = _text_object(block["text"], SECTION_TEXT)
        if isinstance(block.get("fields"), list):
            fitted["fields"] = [_text_object(item, FIELD_TEXT) for item in block["fields"][:SECTION_FIELDS]]
        if isinstance(block.get("accessory"), dict):
            fitted["accessory"] = _fit_element(block["accessory"])
    elif kind == "header" and isinstance(block.get("text"), dict):
        fitted["text"] = _text_object(block["text"], HEADER_TEXT)
    elif kind == "context" and isinstance(block.get("elements"), list):
        fitted["elements"] = [_text_object(item, CONTEXT_TEXT) for item in block["elements"][:CONTEXT_ELEMENTS]]
    elif kind == "actions" and isinstance(block.get("elements"), list):
        fitted["elements"] = [_fit_element(element) for element in block["elements"]]
    elif kind == "input":
        for name, limit in (("label", LABEL_TEXT), ("hint", LABEL_TEXT)):
            if isinstance(block.get(name), dict):
                fitted[name] = _text_object(block[name], limit)
        if isinstance(block.get("element"), dict):
            fitted["element"] = _fit_element(block["element"])
    return fitted


def _fit_element(element: dict[str, Any]) -> dict[str, Any]:
    fitted = dict(element)
    kind = element.get("type")
    if isinstance(element.get("text"), dict):
        fitted["text"] = _text_object(element["text"], BUTTON_TEXT)
    if isinstance(element.get("placeholder"), dict):
        fitted["placeholder"] = _text_object(element["placeholder"], PLACEHOLDER_TEXT)
    if kind == "button" and isinstance(element.get("url"), str) and len(element["url"]) > URL:
        del fitted["url"]  # a cut URL would lead somewhere else
    if isinstance(element.get("value"), str) and len(element["value"]) > BUTTON_VALUE:
        # Builders keep values short (ids, not text); should one not, Slack would refuse the whole
        # message. A cut value reaches the handler, which refuses what it cannot read.
        fitted["value"] = element["value"][:BUTTON_VALUE]
    if isinstance(element.get("initial_value"), str):
        fitted["initial_value"] = element["initial_value"][: min(INPUT_VALUE, element.get("max_length") or INPUT_VALUE)]
    if isinstance(element.get("options"), list):
        fitted["options"] = [_option(option) for option in element["options"][:OPTIONS]]
    if isinstance(element.get("option_groups"), list):
        fitted["option_groups"] = [_option_group(group) for group in element["option_groups"][:OPTIONS]]
    if isinstance(element.get("initial_option"), dict):
        fitted["initial_option"] = _option(element["initial_option"])
    return fitted


def _option(option: Any) -> Any:
    if not isinstance(option, dict):
        return option
    fitted = dict(option)
    if isinstance(option.get("text"), dict):
        fitted["text"] = _text_object(option["text"], OPTION_TEXT)
    if isinstance(option.get("description"), dict):
        fitted["description"] = _text_object(option["description"], OPTION_TEXT)
    return fitted


def _option_group(group: Any) -> Any:
    if not isinstance(group, dict):
        return group
    fitted = {**group, "label": _text_object(group.get("label"), OPTION_TEXT)}
    if isinstance(group.get("options"), list):
        fitted["options"] = [_option(option) for option in group["options"][:OPTIONS]]
    return fitted


def _text_object(value: Any, limit: int) -> Any:
    if isinstance(value, dict) and isinstance(value.get("text"), str) and len(value["text"]) > limit:
        return {**value, "text": cut(value["text"], limit)}
    return value
