"""Small Block Kit pieces shared by the builders."""

from __future__ import annotations

from typing import Any

from bot.slack.markup import escape, link_host

SECTION_LIMIT = 3000
Block = dict[str, Any]


def section(text: str) -> Block:
    """A mrkdwn section; the caller has escaped user text already."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def context(text: str) -> Block:
    """A small grey line."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_LIMIT]}]}


def header(text: str) -> Block:
    """A header (plain text, at most 150 characters)."""
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def button(label: str, *, action_id: str, value: str = "", style: str | None = None, url: str | None = None) -> Block:
    """A button; labels are ours, never user text."""
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label[:75], "emoji": True},
        "action_id": action_id,
    }
    if value:
        element["value"] = value[:2000]
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    """An actions block."""
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def mentions(user_ids: list[str], *, none: str = "nobody yet") -> str:
    """`<@U1>, <@U2>` or the given placeholder."""
    return ", ".join(f"<@{user_id}>" for user_id in user_ids) if user_ids else none


def link(url: str | None, title: str) -> str:
    """A link to user-supplied URL with a user-supplied title, both escaped, followed by the host it really
    leads to (so a title that looks like another address cannot hide where it goes); just the title without a URL."""
    if not url:
        return f"*{escape(title)}*"
    label = escape(title).replace("|", "¦")
    host = link_host(url)
    shown_host = f" ({escape(host)})" if host and title != url else ""
    return f"<{escape(url).replace('|', '%7C')}|{label}>{shown_host}"


def sections_of_lines(lines: list[str], *, limit: int = SECTION_LIMIT) -> list[Block]:
    """Pack lines into as few sections as the 3000-character limit allows."""
    blocks: list[Block] = []
    current: list[str] = []
    for line in lines:
        line = line[: limit - 1]
        if current and len("\n".join([*current, line])) > limit:
            blocks.append(section("\n".join(current)))
            current = []
        current.append(line)
    if current:
        blocks.append(section("\n".join(current)))
    return blocks


def plain_input(
    *,
    block_id: str,
    label: str,
    action_id: str = "value",
    initial: str = "",
    multiline: bool = False,
    optional: bool = False,
    max_length: int = 3000,
    placeholder: str | None = None,
) -> Block:
    """A plain-text input block for a modal."""
    element: Block = {
        "type": "plain_text_input",
        "action_id": action_id,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = {"type": "plain_text", "text": placeholder[:150]}
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label[:2000]},
        "element": element,
    }


def modal(
    *, callback_id: str, title: str, blocks: list[Block], submit: str = "Save", private_metadata: str = ""
) -> Block:
    """A modal view; titles are ours and at most 24 characters."""
    assert len(title) <= 24, title
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": private_metadata,
        "blocks": blocks,
    }
