"""The `/cop` command table: every feature's subcommands collected, parsing, suggestions and help."""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from bot.communities.permissions import Audience, widest_audience
from bot.slack.blocks import section
from handlers.subcommands import CommandCall, Reply, Subcommand, Subcommands

AUDIENCE_TITLES = {
    Audience.ANYONE: "Everyone",
    Audience.MEMBER: "Community members",
    Audience.EDITOR: "Coordinators and website administrators",
    Audience.COORDINATOR: "Coordinators",
    Audience.ADMIN: "Workspace admins",
}
INTRODUCTION = "*copbot* runs communities of practice here. Inside a community's channel you can leave out `NAME`."


@dataclass(frozen=True)
class ParsedCommand:
    """What the caller typed: the subcommand word and its arguments."""

    word: str
    args: tuple[str, ...]
    rest: str  # the text after the subcommand word, as typed


def parse(text: str) -> ParsedCommand:
    """Split command text into subcommand and arguments; quotes group words when balanced."""
    stripped = text.strip()
    if not stripped:
        return ParsedCommand("help", (), "")
    word, _, rest = stripped.partition(" ")
    try:
        args = tuple(shlex.split(rest))
    except ValueError:  # an unbalanced quote: fall back to plain words
        args = tuple(rest.split())
    return ParsedCommand(word.lower(), args, rest.strip())


def suggest(word: str, candidates: Iterable[str], *, limit: int = 1) -> list[str]:
    """The closest candidates to a mistyped word, best first."""
    return difflib.get_close_matches(word.lower(), list(candidates), n=limit, cutoff=0.6)


def missing_arguments_reply(subcommand: Subcommand, command: str) -> str:
    """That subcommand's usage, for a call with too few arguments."""
    return f"Usage: `{subcommand.usage(command)}` — {subcommand.summary}."


class CommandTable:
    """Every subcommand copbot answers, as the features declared them; `help` is the table's own."""

    def __init__(self, features: Iterable[Subcommands]) -> None:
        help_command = Subcommand("help", "", "this help", Audience.ANYONE, handler=self._help, reads=True)
        declared = [help_command, *(subcommand for feature in features for subcommand in feature)]
        self._by_name: dict[str, Subcommand] = {}
        for subcommand in declared:
            if subcommand.name in self._by_name:
                raise ValueError(f"the subcommand {subcommand.name!r} is declared twice")
            if not callable(subcommand.handler):
                raise TypeError(f"the subcommand {subcommand.name!r} has no handler")
            self._by_name[subcommand.name] = subcommand

    def __iter__(self) -> Iterator[Subcommand]:
        return iter(self._by_name.values())

    def get(self, word: str) -> Subcommand | None:
        """The subcommand called `word`, if there is one."""
        return self._by_name.get(word)

    def unknown_reply(self, word: str, command: str) -> str:
        """Short usage plus a "did you mean" for an unknown subcommand (`word` already escaped)."""
        close = suggest(word, self._by_name)
        hint = f" Did you mean `{command} {close[0]}`?" if close else ""
        return f"I don't know `{command} {word}`.{hint} Try `{command} help` for everything I can do."

    def help_sections(self, command: str, *, widest: Audience) -> list[tuple[str, list[str]]]:
        """Usage lines grouped by audience, only the groups up to what the caller may do."""
        sections: list[tuple[str, list[str]]] = []
        for audience in Audience:
            if audience > widest:
                break
            lines = [
                f"`{subcommand.usage(command)}` — {subcommand.summary}"
                for subcommand in self._by_name.values()
                if subcommand.audience == audience
            ]
            if lines:
                sections.append((AUDIENCE_TITLES[audience], lines))
        return sections

    def build_help(self, command: str, widest: Audience) -> Reply:
        """Usage grouped by what the caller may do."""
        blocks: list[dict[str, Any]] = [section(INTRODUCTION)]
        bodies = []
        for title, lines in self.help_sections(command, widest=widest):
            body = f"*{title}*\n" + "\n".join(lines)
            blocks.append(section(body))
            bodies.append(body)
        return Reply(text="\n\n".join(bodies), blocks=blocks)

    def _help(self, call: CommandCall) -> Reply:
        widest = widest_audience(call.session, call.services.people, user_id=call.user_id)
        return self.build_help(call.command, widest)
