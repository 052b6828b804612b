"""Replies to slash commands, and the help text builder."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.commands import Audience, help_sections


@dataclass(frozen=True)
class Reply:
    """What the caller sees; ephemeral unless `in_channel`."""

    text: str
    blocks: list[dict[str, Any]] | None = None
    in_channel: bool = False
    refused: bool = field(default=False, compare=False)
    # A modal to open with the command's trigger_id, after the transaction has committed.
    open_view: dict[str, Any] | None = field(default=None, compare=False)

    @classmethod
    def refusal(cls, text: str) -> Reply:
        """A reply that refuses the request; the transaction is rolled back."""
        return cls(text=text, refused=True)

    def ack_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for Bolt's `ack`."""
        kwargs: dict[str, Any] = {
            "text": self.text,
            "response_type": "in_channel" if self.in_channel else "ephemeral",
        }
        if self.blocks is not None:
            kwargs["blocks"] = self.blocks
        return kwargs


def build_help(command: str, widest: Audience) -> Reply:
    """Usage grouped by what the caller may do."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "*copbot* runs communities of practice here. Inside a community's channel you can leave out `NAME`.",
            },
        }
    ]
    lines_for_text = []
    for title, lines in help_sections(command, widest=widest):
        body = f"*{title}*\n" + "\n".join(lines)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body}})
        lines_for_text.append(body)
    return Reply(text="\n\n".join(lines_for_text), blocks=blocks)
