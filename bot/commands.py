"""The `/cop` subcommand table, parsing, suggestions and help (no Slack types here)."""

from __future__ import annotations

import difflib
import re
import shlex
from dataclasses import dataclass
from enum import IntEnum


class Audience(IntEnum):
    """Who may use a subcommand, from widest to narrowest."""

    ANYONE = 0
    MEMBER = 1
    EDITOR = 2  # coordinator or webadmin
    COORDINATOR = 3
    ADMIN = 4


AUDIENCE_TITLES = {
    Audience.ANYONE: "Everyone",
    Audience.MEMBER: "Community members",
    Audience.EDITOR: "Coordinators and website administrators",
    Audience.COORDINATOR: "Coordinators",
    Audience.ADMIN: "Workspace admins",
}


@dataclass(frozen=True)
class Subcommand:
    """One `/cop` subcommand: its usage line and who may use it."""

    name: str
    args: str
    summary: str
    audience: Audience
    required: int = 0
    names_community: bool = False
    community_optional: bool = False  # may run without a community (share opens a modal that asks)

    def usage(self, command: str) -> str:
        """The usage line, e.g. `/cop join NAME`."""
        return f"{command} {self.name} {self.args}".rstrip()


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", "", "this help", Audience.ANYONE),
    Subcommand("list", "", "communities you can join", Audience.ANYONE),
    Subcommand("info", "NAME", "purpose, core group, pinned resources, next discussion", Audience.ANYONE, 1, True),
    Subcommand("join", "NAME", "join a community", Audience.ANYONE, 1, True),
    Subcommand("leave", "NAME", "leave a community", Audience.ANYONE, 1, True),
    Subcommand("resources", "NAME [WORDS…] [#tag…]", "search a community's resources", Audience.ANYONE, 1, True),
    Subcommand("profile", "[EXPERTISE, …]", "show or set your expertise", Audience.ANYONE),
    Subcommand("who", "TOPIC", "members who know about a topic", Audience.ANYONE, 1),
    Subcommand("members", "NAME", "members, their roles and expertise", Audience.MEMBER, 1, True),
    Subcommand(
        "share", "NAME URL [TITLE…] [#tag…]", "share a resource (no arguments: a form)", Audience.MEMBER, 0, True, True
    ),
    Subcommand("ask", "NAME QUESTION…", "ask the community a question", Audience.MEMBER, 2, True),
    Subcommand("schedule", "NAME [JOB WHEN]", "see (or, coordinators, set) the schedules", Audience.MEMBER, 1, True),
    Subcommand("edit", "NAME", "edit purpose, description, links, welcome text", Audience.EDITOR, 1, True),
    Subcommand("role", "NAME @user ROLE", "give a core-group role", Audience.COORDINATOR, 3, True),
    Subcommand("unrole", "NAME @user ROLE", "take a core-group role back", Audience.COORDINATOR, 3, True),
    Subcommand("prompt", "NAME TEXT…", "queue a discussion prompt", Audience.COORDINATOR, 2, True),
    Subcommand("prompts", "NAME", "the prompt queue and past prompts", Audience.COORDINATOR, 1, True),
    Subcommand("digest", "NAME", "preview this week's digest", Audience.COORDINATOR, 1, True),
    Subcommand("survey", "NAME", "send the review survey now", Audience.COORDINATOR, 1, True),
    Subcommand("results", "NAME", "review survey results", Audience.COORDINATOR, 1, True),
    Subcommand("archive", "NAME", "archive a community (data kept)", Audience.COORDINATOR, 1, True),
    Subcommand("create", "NAME PURPOSE…", "create a community for this channel", Audience.ADMIN, 2),
)
BY_NAME = {subcommand.name: subcommand for subcommand in SUBCOMMANDS}
COMMUNITY_NAME = re.compile(r"^[a-z0-9-]{2,40}$")


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


def suggest(word: str, candidates: list[str], *, limit: int = 1) -> list[str]:
    """The closest candidates to a mistyped word, best first."""
    return difflib.get_close_matches(word.lower(), candidates, n=limit, cutoff=0.6)


def unknown_subcommand_reply(word: str, command: str) -> str:
    """Short usage plus a "did you mean" for an unknown subcommand."""
    close = suggest(word, list(BY_NAME))
    hint = f" Did you mean `{command} {close[0]}`?" if close else ""
    return f"I don't know `{command} {word}`.{hint} Try `{command} help` for everything I can do."


def missing_arguments_reply(subcommand: Subcommand, command: str) -> str:
    """That subcommand's usage, for a call with too few arguments."""
    return f"Usage: `{subcommand.usage(command)}` — {subcommand.summary}."


def help_sections(command: str, *, widest: Audience) -> list[tuple[str, list[str]]]:
    """Usage lines grouped by audience, only the groups up to what the caller may do."""
    sections: list[tuple[str, list[str]]] = []
    for audience in Audience:
        if audience > widest:
            break
        lines = [
            f"`{subcommand.usage(command)}` — {subcommand.summary}"
            for subcommand in SUBCOMMANDS
            if subcommand.audience == audience
        ]
        if lines:
            sections.append((AUDIENCE_TITLES[audience], lines))
    return sections


USER_MENTION = re.compile(r"^<@([UW][A-Z0-9_]+)(?:\|[^>]*)?>$")


def mentioned_user(word: str) -> str | None:
    """The user id in an escaped mention (`<@U123|alice>`), or None."""
    match = USER_MENTION.match(word)
    return match.group(1) if match else None
