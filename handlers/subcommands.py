"""Declaring `/cop` subcommands: each feature declares its own, once, together with its handler.

    subcommands = Subcommands()

    @subcommands.add("join", "NAME", "join a community", Audience.ANYONE, required=1, names_community=True)
    def join(call: CommandCall) -> Reply: ...

The dispatcher (`handlers.commands`) collects every feature's `subcommands`; help is generated
from what was collected, so nothing is listed that has no handler.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.communities.permissions import Audience
from bot.slack.limits import fit_message
from handlers.services import Services
from storage.models import Community


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
        return fit_message(kwargs)


@dataclass(frozen=True)
class CommandCall:
    """One `/cop` invocation, resolved and permitted, handed to a subcommand's handler."""

    services: Services
    session: Session
    subcommand: Subcommand
    user_id: str
    channel_id: str
    args: tuple[str, ...]  # as Slack sent them: mentions and links still marked up
    rest: str  # the text after NAME as a person reads it: markup resolved, entities decoded
    community: Community | None
    trigger_id: str | None
    response_url: str | None
    prepared: Any = None  # what the subcommand's `prepare` fetched from Slack before the transaction

    @property
    def command(self) -> str:
        """The slash command's name, for usage lines."""
        return self.services.command

    @property
    def the_community(self) -> Community:
        """The community, for subcommands that name one (the dispatcher has resolved it)."""
        assert self.community is not None, "the dispatcher resolves NAME for this subcommand"
        return self.community


Handler = Callable[[CommandCall], Reply]
# Runs before the transaction opens, for the Slack calls a handler needs (no Slack call holds the database).
Prepare = Callable[[Services, dict[str, Any]], Any]
# Whether a call only reads, from its arguments as typed (NAME included): `schedule NAME` shows,
# `schedule NAME JOB WHEN` changes. A read never waits for a writer (see storage.db).
Reads = bool | Callable[[tuple[str, ...]], bool]


@dataclass(frozen=True)
class Subcommand:
    """One `/cop` subcommand: its usage, who may use it, and the handler that answers it."""

    name: str
    args: str
    summary: str
    audience: Audience
    handler: Handler
    required: int = 0  # arguments needed, NAME included
    names_community: bool = False
    community_optional: bool = False  # may run without a community (share opens a modal that asks)
    prepare: Prepare | None = None
    archived_community: bool = False  # NAME is an archived community (unarchive); every other finds live ones
    reads: Reads = False  # only reads the database (declared, and enforced: a write in a read raises)

    def usage(self, command: str) -> str:
        """The usage line, e.g. `/cop join NAME`."""
        return f"{command} {self.name} {self.args}".rstrip()

    def only_reads(self, args: tuple[str, ...]) -> bool:
        """Whether a call with these arguments only reads."""
        return self.reads(args) if callable(self.reads) else self.reads


class Subcommands:
    """The subcommands one feature declares, in the order they appear in help."""

    def __init__(self) -> None:
        self._declared: list[Subcommand] = []

    def add(
        self,
        name: str,
        args: str,
        summary: str,
        audience: Audience,
        *,
        required: int = 0,
        names_community: bool = False,
        community_optional: bool = False,
        prepare: Prepare | None = None,
        archived_community: bool = False,
        reads: Reads = False,
    ) -> Callable[[Handler], Handler]:
        """Declare a subcommand answered by the decorated handler."""

        def declare(handler: Handler) -> Handler:
            self._declared.append(
                Subcommand(
                    name=name,
                    args=args,
                    summary=summary,
                    audience=audience,
                    handler=handler,
                    required=required,
                    names_community=names_community,
                    community_optional=community_optional,
                    prepare=prepare,
                    archived_community=archived_community,
                    reads=reads,
                )
            )
            return handler

        return declare

    def __iter__(self) -> Iterator[Subcommand]:
        return iter(self._declared)
