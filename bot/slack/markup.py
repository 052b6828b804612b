"""Slack text: escaping untrusted text for messages, and reading Slack markup back as plain words."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo


def escape(text: str) -> str:
    """Escape `&`, `<` and `>` so user text cannot mention, link or ping `@channel`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all C0 controls but tab and newlines
# Half of a UTF-16 pair, left alone: JSON can spell one (`"\ud800"`), but no database or UTF-8 encoder takes it.
LONE_SURROGATES = re.compile("[\ud800-\udfff]")


def scrub_control_characters(payload: object) -> None:
    """Clean every string in a payload, in place: control characters (NUL above all: PostgreSQL refuses it)
    are removed, and lone surrogates become U+FFFD, the replacement character."""
    if isinstance(payload, dict):
        for key, value in payload.items():
            payload[key] = _scrubbed(value)
    elif isinstance(payload, list):
        for index, value in enumerate(payload):
            payload[index] = _scrubbed(value)


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return LONE_SURROGATES.sub("\ufffd", CONTROL_CHARACTERS.sub("", value))
    scrub_control_characters(value)
    return value


TOKEN = re.compile(r"<([^<>]+)>")
LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]*))?>")


def plain_text(text: str, name_of: Callable[[str], str] | None = None) -> str:
    """Slack markup as readable text: `<https://x|X>` → `X (https://x)`, `<@U1|ann>` → `@ann`, `<!here>` → `@here`.

    `name_of` turns a bare user or channel id into a name (the shell knows its workspace).
    """

    def token(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith(("@", "#")):
            return target[0] + (label or (name_of(target[1:]) if name_of else target[1:]))
        if target.startswith("!date"):
            return label
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^")[0])
        return f"{label} ({target})" if label else target

    return _decode(TOKEN.sub(token, text))


def first_link(text: str) -> tuple[str, str] | None:
    """The first http(s) link in Slack text and its label (empty when none)."""
    match = LINK.search(text)
    if match is None:
        return None
    return _decode(match.group(1)), _decode(match.group(2) or "")


def link_host(url: str) -> str:
    """The host a link really leads to, as a reader should see it: ASCII (a look-alike `pythοn.org` with a
    Greek omicron shows as `xn--pythn-mxa.org`), without `www.`; empty when the URL has none."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # not encodable: shown as it is
    return host.removeprefix("www.")


def _decode(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def message_link(workspace_url: str | None, channel_id: str | None, ts: str | None) -> str | None:
    """A message's link from the workspace's URL (`auth.test` → url); None when something is unknown."""
    if not workspace_url or not channel_id or not ts:
        return None
    return f"{workspace_url.rstrip('/')}/archives/{channel_id}/p{ts.replace('.', '')}"


def permalink(*, domain: str | None, channel_id: str, ts: str, thread_ts: str | None = None) -> str | None:
    """A message's permalink built from the workspace domain, as Slack forms them."""
    if not domain:
        return None
    link = f"https://{domain}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel_id}"
    return link


USER_MENTION = re.compile(r"<@([UW][A-Z0-9_]+)(?:\|[^>]*)?>")


def mentioned_user(word: str) -> str | None:
    """The user id in an escaped mention (`<@U123|alice>`), or None."""
    match = USER_MENTION.fullmatch(word)
    return match.group(1) if match else None


def slack_date(moment: datetime, zone: ZoneInfo, *, day_only: bool = False) -> str:
    """A time each reader sees in their own zone (`<!date^…>`); the fallback text is in `zone`."""
    local = moment.astimezone(zone)
    if day_only:
        return f"<!date^{int(moment.timestamp())}^{{date_short}}|{local:%d %b %Y}>"
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{local:%a %d %b %Y %H:%M %Z}>"
