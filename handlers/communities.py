"""Community subcommands (list, info, join, leave, members, edit, role, unrole, archive, create),
the edit modal and the Join buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from sqlalchemy.orm import Session

from bot.communities.blocks import (
    EDIT_CALLBACK,
    JOIN_ACTION,
    LIST_MORE_ACTION,
    LIST_PAGE,
    MEMBERS_MORE_ACTION,
    MEMBERS_PAGE,
    build_community_info,
    build_community_list,
    build_edit_modal,
    build_member_list,
)
from bot.communities.lifecycle import (
    CommunityEdit,
    Refused,
    archive_community,
    archived_text,
    create_community,
    edit_community,
    unarchive_community,
)
from bot.communities.lookup import (
    any_community_by_name,
    archived_community_names,
    community_by_id,
    live_community_listing,
    member_count,
    member_page,
)
from bot.communities.permissions import Audience, may, refusal
from bot.communities.roles import ROLE_TITLES, assign_role, core_group, parse_role, remove_role, roles_by_member
from bot.knowledge.expertise import expertise_of
from bot.knowledge.resources import pinned_resources
from bot.rhythms.calendar import next_discussion
from bot.slack.markup import escape, mentioned_user, plain_text
from bot.slack.people import ChannelMembers, Person
from bot.welcome.flow import end_membership, join_community
from handlers.command_table import parse
from handlers.middleware import unit_of_work
from handlers.services import Services
from handlers.subcommands import CommandCall, Reply, Subcommands
from handlers.views import input_text, number, private_id, tell
from storage.models import Community, Role

subcommands = Subcommands()
EDIT_FIELDS = ("purpose", "description", "links", "welcome_text")


def register(bolt: App, services: Services) -> None:
    """Listen for the edit modal and the Join buttons."""

    @bolt.view(EDIT_CALLBACK)
    def handle_edit_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        user_id = body["user"]["id"]
        services.people.lookup(user_id)  # warm the cache outside the transaction
        with unit_of_work(services, context) as session:
            if session is None:  # this form was submitted and stored already
                ack()
                return
            community = community_by_id(session, private_id(view))
            if community is None or community.archived_at is not None:
                ack(response_action="errors", errors={"purpose": "This community no longer exists."})
                return
            if not may(session, services.people, user_id=user_id, need=Audience.EDITOR, community=community):
                session.rollback()
                ack(response_action="errors", errors={"purpose": refusal(Audience.EDITOR, community)})
                return
            errors = edit_community(
                session, community, CommunityEdit(**{field: input_text(view, field) for field in EDIT_FIELDS})
            )
            if errors:
                session.rollback()
                ack(response_action="errors", errors=errors)
                return
        ack()

    @bolt.action(LIST_MORE_ACTION)
    def handle_list_more(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        with services.reads() as session:
            blocks, total = _community_page(session, offset=number(action.get("value")), command=services.command)
        tell(services, body, f"{total:,} communities of practice", blocks=blocks)

    @bolt.action(MEMBERS_MORE_ACTION)
    def handle_members_more(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        user_id = body["user"]["id"]
        services.people.lookup(user_id)  # warm the cache outside the transaction
        community_id, _, offset = str(action.get("value") or "").partition(":")
        with services.reads() as session:
            community = community_by_id(session, number(community_id))
            if community is None:
                answer, blocks = "That community no longer exists.", None
            elif community.archived_at is not None:
                answer, blocks = archived_text(community, services.command), None
            elif not may(session, services.people, user_id=user_id, need=Audience.MEMBER, community=community):
                answer, blocks = refusal(Audience.MEMBER, community, command=services.command), None
            else:
                blocks, total = _member_page(session, community, offset=number(offset))
                answer = f"{total:,} members of {escape(community.name)}"
        tell(services, body, answer, blocks=blocks)

    @bolt.action(JOIN_ACTION)
    def handle_join_button(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
        ack()
        with unit_of_work(services, context) as session:
            assert session is not None
            community = any_community_by_name(session, action.get("value", ""))
            if community is None:
                message = f"That community no longer exists. See `{services.command} list`."
            elif community.archived_at is not None:
                message = archived_text(community, services.command)
            else:
                result = join_community(
                    session,
                    community,
                    user_id=body["user"]["id"],
                    source="button",
                    now=services.clock.now(),
                    command=services.command,
                    zone=services.zone,
                )
                message = _joined_text(community, result.joined)
        tell(services, body, message)


def _joined_text(community: Community, joined: bool) -> str:
    if joined:
        return f"Welcome to *{escape(community.name)}*! I've sent you a DM with how to take part. Say hello in <#{community.channel_id}>."
    return f"You're already a member of *{escape(community.name)}*."


@subcommands.add("list", "", "communities you can join", Audience.ANYONE, reads=True)
def list_all(call: CommandCall) -> Reply:
    """`/cop list`: every live community with a Join button."""
    blocks, total = _community_page(call.session, offset=0, command=call.command)
    return Reply(text=f"{total:,} communities of practice", blocks=blocks)


def _community_page(session: Session, *, offset: int, command: str) -> tuple[list[dict[str, Any]], int]:
    page, total = live_community_listing(session, offset=offset, limit=LIST_PAGE)
    archived = archived_community_names(session) if not total else ([], 0)
    return build_community_list(page, total=total, offset=offset, command=command, archived=archived), total


@subcommands.add(
    "info",
    "NAME",
    "purpose, core group, pinned resources, next discussion",
    Audience.ANYONE,
    required=1,
    names_community=True,
    reads=True,
)
def info(call: CommandCall) -> Reply:
    """`/cop info NAME`."""
    community = call.the_community
    blocks = build_community_info(
        community,
        members=member_count(call.session, community),
        core=core_group(call.session, community),
        pinned=pinned_resources(call.session, community),
        next_discussion=next_discussion(
            call.session, community, zone=call.services.zone, now=call.services.clock.now()
        ),
    )
    return Reply(text=f"{escape(community.name)}: {escape(community.purpose)}", blocks=blocks)


@subcommands.add("join", "NAME", "join a community", Audience.ANYONE, required=1, names_community=True)
def join(call: CommandCall) -> Reply:
    """`/cop join NAME`."""
    community = call.the_community
    result = join_community(
        call.session,
        community,
        user_id=call.user_id,
        source="command",
        now=call.services.clock.now(),
        command=call.command,
        zone=call.services.zone,
    )
    return Reply(text=_joined_text(community, result.joined))


@subcommands.add("leave", "NAME", "leave a community", Audience.ANYONE, required=1, names_community=True)
def leave(call: CommandCall) -> Reply:
    """`/cop leave NAME`."""
    community = call.the_community
    if not end_membership(call.session, community, user_id=call.user_id, now=call.services.clock.now()):
        return Reply.refusal(f"You're not a member of *{escape(community.name)}*.")
    return Reply(
        text=f"You've left *{escape(community.name)}*. You're welcome back any time with `{call.command} join {community.name}`."
    )


@subcommands.add(
    "members",
    "NAME",
    "members, their roles and expertise",
    Audience.MEMBER,
    required=1,
    names_community=True,
    reads=True,
)
def members(call: CommandCall) -> Reply:
    """`/cop members NAME`: members, roles and expertise."""
    community = call.the_community
    blocks, total = _member_page(call.session, community, offset=0)
    return Reply(text=f"{total:,} members of {escape(community.name)}", blocks=blocks)


def _member_page(session: Session, community: Community, *, offset: int) -> tuple[list[dict[str, Any]], int]:
    user_ids, total = member_page(session, community, offset=offset, limit=MEMBERS_PAGE)
    roles = roles_by_member(session, community)
    expertise = expertise_of(session, user_ids)
    rows = [(user_id, roles.get(user_id, []), expertise[user_id]) for user_id in user_ids]
    return build_member_list(community, rows, total=total, offset=offset), total


@subcommands.add(
    "edit",
    "NAME",
    "edit purpose, description, links, welcome text",
    Audience.EDITOR,
    required=1,
    names_community=True,
    reads=True,  # opens the form; its submission writes
)
def edit(call: CommandCall) -> Reply:
    """`/cop edit NAME`: opens the edit modal."""
    return Reply(text="", open_view=build_edit_modal(call.the_community))


def _named_person(services: Services, command: dict[str, Any]) -> Person | None:
    """Who the command mentions, as Slack knows them (asked before the transaction opens)."""
    for word in parse(command.get("text", "")).args:
        user_id = mentioned_user(word)
        if user_id is not None:
            return services.people.lookup(user_id)
    return None


@subcommands.add(
    "role",
    "NAME @user ROLE",
    "give a core-group role",
    Audience.COORDINATOR,
    required=3,
    names_community=True,
    prepare=_named_person,
)
def role(call: CommandCall) -> Reply:
    """`/cop role NAME @user ROLE`: to a person, not a bot or a deactivated account."""
    community = call.the_community
    parsed = _role_arguments(call)
    if isinstance(parsed, Reply):
        return parsed
    target, chosen = parsed
    person: Person | None = call.prepared
    if target == "USLACKBOT" or (person is not None and person.is_bot):
        return Reply.refusal(f"<@{target}> is a bot: roles in *{escape(community.name)}* are for people.")
    if person is not None and person.deleted:
        return Reply.refusal(f"<@{target}> is deactivated in Slack, so they can't take a role. Pick someone active.")
    now = call.services.clock.now()
    if not assign_role(
        call.session, community, user_id=target, role=chosen, by=call.user_id, now=now, command=call.command
    ):
        return Reply.refusal(f"<@{target}> is already {ROLE_TITLES[chosen]} of *{escape(community.name)}*.")
    return Reply(text=f"<@{target}> is now {ROLE_TITLES[chosen]} of *{escape(community.name)}*.")


@subcommands.add(
    "unrole", "NAME @user ROLE", "take a core-group role back", Audience.COORDINATOR, required=3, names_community=True
)
def unrole(call: CommandCall) -> Reply:
    """`/cop unrole NAME @user ROLE`."""
    community = call.the_community
    parsed = _role_arguments(call)
    if isinstance(parsed, Reply):
        return parsed
    target, chosen = parsed
    try:
        removed = remove_role(call.session, community, user_id=target, role=chosen)
    except Refused as refused:
        return Reply.refusal(str(refused))
    if not removed:
        return Reply.refusal(f"<@{target}> isn't {ROLE_TITLES[chosen]} of *{escape(community.name)}*.")
    return Reply(text=f"<@{target}> is no longer {ROLE_TITLES[chosen]} of *{escape(community.name)}*.")


@subcommands.add(
    "archive", "NAME", "archive a community (data kept)", Audience.COORDINATOR, required=1, names_community=True
)
def archive(call: CommandCall) -> Reply:
    """`/cop archive NAME`."""
    community = call.the_community
    archive_community(call.session, community, now=call.services.clock.now())
    return Reply(
        text=(
            f"Archived *{escape(community.name)}*: it's hidden from `{call.command} list` and its schedules have stopped. "
            f"All its data is kept; `{call.command} unarchive {community.name}` brings it back."
        )
    )


@subcommands.add(
    "unarchive",
    "NAME",
    "bring an archived community back",
    Audience.COORDINATOR,
    required=1,
    names_community=True,
    archived_community=True,
)
def unarchive(call: CommandCall) -> Reply:
    """`/cop unarchive NAME`: members, roles and schedules come back; nothing missed while archived runs."""
    community = call.the_community
    try:
        unarchive_community(call.session, community, now=call.services.clock.now())
    except Refused as refused:
        return Reply.refusal(str(refused))
    return Reply(
        text=(
            f"*{escape(community.name)}* is back in <#{community.channel_id}>, with its {member_count(call.session, community)} "
            f"members, its roles and its schedules (`{call.command} schedule {community.name}` shows them)."
        )
    )


def _channel_members(services: Services, command: dict[str, Any]) -> ChannelMembers | None:
    if not services.people.is_admin(command.get("user_id", "")):
        return None  # the dispatcher refuses the create; no reason to ask Slack who is in the channel
    leave_out = {services.bot_user_id or "", "USLACKBOT", command.get("user_id", "")}
    return services.people.channel_members(command.get("channel_id", ""), leave_out=leave_out)


@subcommands.add(
    "create",
    "NAME PURPOSE…",
    "create a community for this channel",
    Audience.ADMIN,
    required=2,
    prepare=_channel_members,
)
def create(call: CommandCall) -> Reply:
    """`/cop create NAME PURPOSE…` in the community's channel."""
    name = call.args[0]
    purpose = call.rest.split(None, 1)[1] if len(call.rest.split(None, 1)) > 1 else ""
    found: ChannelMembers = call.prepared or ChannelMembers([], False, "not asked")
    if found.invisible:
        return Reply.refusal(
            "This is a private channel I'm not in, so I couldn't welcome anyone or post here. "
            f"Invite me first (`/invite @copbot`), then run `{call.command} create` again."
        )
    try:
        community = create_community(
            call.session,
            name=name,
            purpose=purpose,
            channel_id=call.channel_id,
            creator=call.user_id,
            now=call.services.clock.now(),
            founding_members=found.user_ids,
            join_channel=call.services.bot_user_id not in found.left_out,
            command=call.command,
        )
    except Refused as refused:
        return Reply.refusal(str(refused))
    founding = _founding_text(call, community.name, found)
    return Reply(
        text=(
            f"Created *{escape(community.name)}* for <#{call.channel_id}>, and you are its coordinator.{founding}\n"
            f"Next: `{call.command} role {community.name} @someone support` so every newcomer gets a personal welcome, "
            f"and `{call.command} edit {community.name}` to write the welcome text."
        )
    )


def _founding_text(call: CommandCall, community_name: str, found: ChannelMembers) -> str:
    count = len(found.user_ids)
    people = f"{count} {'person' if count == 1 else 'people'}"
    channel = f"<#{call.channel_id}>"
    join = f"`{call.command} join {community_name}`"
    if found.complete:
        return (
            f"\nThe {people} already in {channel} are its founding members (no welcome DM for them)." if count else ""
        )
    why = escape(found.error or "no answer")
    if not count:
        return f"\nI couldn't see who is already in {channel} ({why}); they can join with {join}."
    return f"\n{people.capitalize()} already in {channel} became founding members, but I couldn't read the rest ({why}); they can join with {join}."


def _role_arguments(call: CommandCall) -> tuple[str, Role] | Reply:
    usage = (
        f"Usage: `{call.command} {call.subcommand.name} {call.the_community.name} @person ROLE` "
        "(roles: coordinator, support, resources, webadmin)."
    )
    if len(call.args) < 2:
        return Reply.refusal(usage)
    target = mentioned_user(call.args[0])
    if target is None:
        return Reply.refusal(f"I couldn't find a person in `{escape(call.args[0])}`. {usage}")
    try:
        return target, parse_role(plain_text(call.args[1]))
    except Refused as refused:
        return Reply.refusal(str(refused))
