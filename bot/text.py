"""Making untrusted text safe to put in a Slack message."""

from __future__ import annotations


def escape(text: str) -> str:
    """Escape `&`, `<` and `>` so user text cannot mention, link or ping `@channel`."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
