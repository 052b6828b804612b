"""The `/cop` dispatcher: parse, resolve the community, check permission, hand over to the handler, reply."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context import BoltContext
from sqlalchemy.orm import Session

from bot.communities.lifecycle import COMMUNITY_NAME, archived_text
from bot.communities.lookup import (
    any_community_by_name,
    archived_community_for_channel,
    community_by_name,
    community_for_channel,
    community_name,
    live_community_names,
)
from bot.communities.permissions import may, refusal
from bot.slack.markup import escape, plain_text
from handlers.command_table import CommandTable, missing_arguments_reply, parse, suggest
from handlers.middleware import unit_of_work
from handlers.services import Services
from handlers.subcommands import CommandCall, Reply, Subcommand
from storage.models import Community


def register(bolt: App, services: Services, table: CommandTable) -> None:
    """Listen for the configured slash command."""

    @bolt.command(services.command)
    def handle_cop_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        services.people.lookup(command["user_id"])  # warm the cache outside the transaction
        parsed = parse(command.get("text", ""))
        subcommand = table.get(parsed.word)
        prepared = subcommand.prepare(services, command) if subcommand and subcommand.prepare else None
        reads = subcommand is None or subcommand.only_reads(parsed.args)
        with unit_of_work(services, context, reads=reads) as session:
            assert session is not None  # only events can be duplicates
            reply = dispatch(services, table, session, command, prepared=prepared)
            if reply.refused:
                session.rollback()  # nothing is stored from a rejected command
        if reply.open_view is not None and not services.modals.open(command.get("trigger_id"), reply.open_view):
            reply = Reply.refusal("Slack didn't let me open the form just now. Please try again.")
        ack(**reply.ack_kwargs())


def dispatch(
    services: Services, table: CommandTable, session: Session, command: dict[str, Any], *, prepared: Any = None
) -> Reply:
    """Turn a slash command payload into the reply the caller sees."""
    name = services.command
    parsed = parse(command.get("text", ""))
    user_id, channel_id = command["user_id"], command.get("channel_id", "")
    subcommand = table.get(parsed.word)
    if subcommand is None:
        return Reply.refusal(table.unknown_reply(escape(plain_text(parsed.word)), name))
    args, rest = parsed.args, parsed.rest
    community: Community | None = None
    if subcommand.names_community:
        resolved = _resolve_community(session, subcommand, args, channel_id, name)
        if isinstance(resolved, Reply):
            return resolved
        community, remaining = resolved
        if len(remaining) < len(args):  # NAME was typed: the free text starts after it
            rest = rest.split(None, 1)[1] if len(rest.split(None, 1)) > 1 else ""
        args = remaining
    if len(args) + (1 if subcommand.names_community else 0) < subcommand.required:
        return Reply.refusal(missing_arguments_reply(subcommand, name))
    needs_check = community is not None or not subcommand.community_optional
    if needs_check and not may(
        session, services.people, user_id=user_id, need=subcommand.audience, community=community
    ):
        return Reply.refusal(refusal(subcommand.audience, community, command=name))
    call = CommandCall(
        services=services,
        session=session,
        subcommand=subcommand,
        user_id=user_id,
        channel_id=channel_id,
        args=args,
        rest=plain_text(rest),
        community=community,
        trigger_id=command.get("trigger_id"),
        response_url=command.get("response_url"),
        prepared=prepared,
    )
    return subcommand.handler(call)


def _resolve_community(
    session: Session, subcommand: Subcommand, args: tuple[str, ...], channel_id: str, name: str
) -> tuple[Community | None, tuple[str, ...]] | Reply:
    """The community a subcommand is about: named first, else the channel's own."""
    if subcommand.archived_community:
        return _resolve_archived(session, subcommand, args, channel_id, name)
    if args:
        named = community_by_name(session, args[0])
        if named is not None:
            return named, args[1:]
    here = community_for_channel(session, channel_id) if channel_id else None
    takes_more_than_name = subcommand.args.strip() not in ("NAME",)
    if here is not None and (not args or takes_more_than_name):
        return here, args
    if not args:
        if subcommand.community_optional:
            return None, args
        archived = archived_community_for_channel(session, channel_id) if channel_id else None
        if archived is not None:
            return Reply.refusal(archived_text(archived, name))
        if subcommand.required == 0:
            return Reply.refusal(
                f"Which community? Use `{subcommand.usage(name)}`, or run it in the community's channel."
            )
        return Reply.refusal(missing_arguments_reply(subcommand, name))
    return Reply.refusal(unknown_community_reply(session, args[0], name))


def _resolve_archived(
    session: Session, subcommand: Subcommand, args: tuple[str, ...], channel_id: str, name: str
) -> tuple[Community | None, tuple[str, ...]] | Reply:
    """An archived community, named or the channel's last one."""
    found = any_community_by_name(session, args[0]) if args else None
    if found is None and not args and channel_id:
        found = archived_community_for_channel(session, channel_id)
    if found is None:
        if not args:
            return Reply.refusal(missing_arguments_reply(subcommand, name))
        return Reply.refusal(unknown_community_reply(session, args[0], name))
    if found.archived_at is None:
        return Reply.refusal(f"*{escape(found.name)}* is not archived: it is live. See `{name} info {found.name}`.")
    return found, args[1:] if args else args


def unknown_community_reply(session: Session, word: str, command: str) -> str:
    """Name the closest communities to an unknown name; an archived one says how to bring it back."""
    word = plain_text(word)
    archived = any_community_by_name(session, word)
    if archived is not None and archived.archived_at is not None:
        return archived_text(archived, command)
    close = suggest(word, live_community_names(session), limit=3)
    shown = escape(word)
    if not COMMUNITY_NAME.fullmatch(community_name(word)):
        lead = f"`{shown}` is not a community name (lowercase letters, digits and hyphens, 2–40 characters)."
    else:
        lead = f"I don't know a community called `{shown}`."
    hint = f" Did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""
    return f"{lead}{hint} See `{command} list` for all communities."
