"""Community subcommands (create, list, info, members, edit, archive, role, unrole), the edit modal and Join buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond

from bot.commands import Audience, mentioned_user
from bot.communities.blocks import (
    EDIT_CALLBACK,
    JOIN_ACTION,
    build_community_info,
    build_community_list,
    build_edit_modal,
    build_member_list,
)
from bot.communities.lifecycle import (
    ROLE_TITLES,
    CommunityEdit,
    Refused,
    active_members,
    archive_community,
    assign_role,
    core_group,
    create_community,
    edit_community,
    live_communities,
    member_count,
    parse_role,
    remove_role,
    roles_by_member,
)
from bot.communities.lookup import community_by_name
from bot.communities.permissions import may, refusal
from bot.delivery.outbox import enqueue, post_message
from bot.knowledge.expertise import expertise_of
from bot.replies import Reply
from bot.slack.markup import escape, plain_text
from bot.welcome.flow import next_discussion, pinned_resources
from bot.welcome.membership import join_community, leave_community
from handlers.commands import CommandCall
from handlers.middleware import unit_of_work
from handlers.views import input_text
from storage.models import Community

if TYPE_CHECKING:
    from bot.app import Copbot


ROLE_DUTIES = {
    "coordinator": "You'll get the weekly digest and can assign roles, schedule prompts and surveys.",
    "support": "You'll get an alert for each newcomer, with a button to say you'll welcome them.",
    "resources": "You'll get newly shared resources to review: pin, retag or retire them.",
    "webadmin": "You can edit the community's description, links and welcome text with `/cop edit`.",
}


def register(copbot: Copbot) -> None:
    """Route the community subcommands and listen for the edit modal and Join buttons."""
    copbot.command_routes.update(
        {
            "create": create,
            "list": list_all,
            "info": info,
            "members": members,
            "edit": edit,
            "archive": archive,
            "role": role,
            "unrole": unrole,
            "join": join,
            "leave": leave,
        }
    )

    @copbot.bolt.view(EDIT_CALLBACK)
    def handle_edit_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        copbot.people.lookup(body["user"]["id"])  # warm the cache outside the transaction
        with unit_of_work(context) as session:
            assert session is not None
            community = session.get(Community, int(view.get("private_metadata") or 0))
            user_id = body["user"]["id"]
            if community is None or community.archived_at is not None:
                ack(response_action="errors", errors={"purpose": "This community no longer exists."})
                return
            if not may(session, copbot.people, user_id=user_id, need=Audience.EDITOR, community=community):
                ack(response_action="errors", errors={"purpose": refusal(Audience.EDITOR, community)})
                session.rollback()
                return
            errors = edit_community(
                session,
                community,
                CommunityEdit(
                    **{field: input_text(view, field) for field in ("purpose", "description", "links", "welcome_text")}
                ),
            )
            if errors:
                session.rollback()
                ack(response_action="errors", errors=errors)
                return
        ack()

    @copbot.bolt.action(JOIN_ACTION)
    def handle_join_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
    ) -> None:
        ack()
        with unit_of_work(context) as session:
            assert session is not None
            community = community_by_name(session, action.get("value", ""))
            if community is None:
                message = "That community has been archived or renamed. See `/cop list`."
            else:
                result = join_community(
                    session,
                    community,
                    user_id=body["user"]["id"],
                    source="button",
                    now=copbot.clock.now(),
                    command=copbot.settings.command,
                )
                message = _joined_text(community, result.joined)
        respond(text=message, response_type="ephemeral", replace_original=False)


def _joined_text(community: Community, joined: bool) -> str:
    if joined:
        return f"Welcome to *{escape(community.name)}*! I've sent you a DM with how to take part. Say hello in <#{community.channel_id}>."
    return f"You're already a member of *{escape(community.name)}*."


def create(call: CommandCall) -> Reply:
    """`/cop create NAME PURPOSE…` in the community's channel."""
    name = call.args[0].lower()
    purpose = call.rest.split(None, 1)[1] if len(call.rest.split(None, 1)) > 1 else ""
    now = call.copbot.clock.now()
    try:
        community = create_community(
            call.session, name=name, purpose=purpose, channel_id=call.channel_id, creator=call.user_id, now=now
        )
    except Refused as refused:
        return Reply.refusal(str(refused))
    enqueue(
        call.session,
        method="conversations.join",
        channel=call.channel_id,
        payload={"channel": call.channel_id},
        kind="join_channel",
        now=now,
    )
    command = call.copbot.settings.command
    private = " If it's a private channel, invite me there: `/invite @copbot`."
    return Reply(
        text=(
            f"Created *{escape(community.name)}* for <#{call.channel_id}>, and you are its coordinator.{private}\n"
            f"Next: `{command} role {community.name} @someone support` so every newcomer gets a personal welcome, "
            f"and `{command} edit {community.name}` to write the welcome text."
        )
    )


def list_all(call: CommandCall) -> Reply:
    """`/cop list`: every live community with a Join button."""
    communities = live_communities(call.session)
    blocks = build_community_list(communities, command=call.copbot.settings.command)
    names = ", ".join(community.name for community, _ in communities) or "none yet"
    return Reply(text=f"Communities: {escape(names)}", blocks=blocks)


def info(call: CommandCall) -> Reply:
    """`/cop info NAME`."""
    community = _community(call)
    blocks = build_community_info(
        community,
        members=member_count(call.session, community),
        core=core_group(call.session, community),
        pinned=pinned_resources(call.session, community),
        next_discussion=next_discussion(call.session, community),
    )
    return Reply(text=f"{escape(community.name)}: {escape(community.purpose)}", blocks=blocks)


def members(call: CommandCall) -> Reply:
    """`/cop members NAME`: members, roles and expertise."""
    community = _community(call)
    memberships = active_members(call.session, community)
    user_ids = [membership.user_id for membership in memberships]
    roles = roles_by_member(call.session, community)
    expertise = expertise_of(call.session, user_ids)
    rows = [(user_id, roles.get(user_id, []), expertise[user_id]) for user_id in user_ids]
    return Reply(text=f"{len(rows)} members of {escape(community.name)}", blocks=build_member_list(community, rows))


def edit(call: CommandCall) -> Reply:
    """`/cop edit NAME`: opens the edit modal."""
    return Reply(text="", open_view=build_edit_modal(_community(call)))


def archive(call: CommandCall) -> Reply:
    """`/cop archive NAME`."""
    community = _community(call)
    archive_community(call.session, community, now=call.copbot.clock.now())
    return Reply(
        text=f"Archived *{escape(community.name)}*: it's hidden from `{call.copbot.settings.command} list` and its schedules have stopped. All its data is kept."
    )


def join(call: CommandCall) -> Reply:
    """`/cop join NAME`."""
    community = _community(call)
    result = join_community(
        call.session,
        community,
        user_id=call.user_id,
        source="command",
        now=call.copbot.clock.now(),
        command=call.copbot.settings.command,
    )
    return Reply(text=_joined_text(community, result.joined))


def leave(call: CommandCall) -> Reply:
    """`/cop leave NAME`."""
    community = _community(call)
    if not leave_community(call.session, community, user_id=call.user_id, now=call.copbot.clock.now()):
        return Reply.refusal(f"You're not a member of *{escape(community.name)}*.")
    return Reply(
        text=f"You've left *{escape(community.name)}*. You're welcome back any time with `{call.copbot.settings.command} join {community.name}`."
    )


def role(call: CommandCall) -> Reply:
    """`/cop role NAME @user ROLE`."""
    community = _community(call)
    target, chosen = _role_arguments(call)
    if isinstance(target, Reply):
        return target
    now = call.copbot.clock.now()
    if not assign_role(call.session, community, user_id=target, role=chosen, by=call.user_id, now=now):
        return Reply.refusal(f"<@{target}> is already {ROLE_TITLES[chosen]} of *{escape(community.name)}*.")
    join_community(call.session, community, user_id=target, source="role", now=now, welcome=False)
    if target != call.user_id:
        post_message(
            call.session,
            channel=target,
            text=f"<@{call.user_id}> made you {ROLE_TITLES[chosen]} of {escape(community.name)}. {ROLE_DUTIES[chosen]}",
            kind="role_assigned",
            now=now,
        )
    return Reply(text=f"<@{target}> is now {ROLE_TITLES[chosen]} of *{escape(community.name)}*.")


def unrole(call: CommandCall) -> Reply:
    """`/cop unrole NAME @user ROLE`."""
    community = _community(call)
    target, chosen = _role_arguments(call)
    if isinstance(target, Reply):
        return target
    try:
        removed = remove_role(call.session, community, user_id=target, role=chosen)
    except Refused as refused:
        return Reply.refusal(str(refused))
    if not removed:
        return Reply.refusal(f"<@{target}> isn't {ROLE_TITLES[chosen]} of *{escape(community.name)}*.")
    return Reply(text=f"<@{target}> is no longer {ROLE_TITLES[chosen]} of *{escape(community.name)}*.")


def _role_arguments(call: CommandCall) -> tuple[Any, Any]:
    command = call.copbot.settings.command
    usage = f"Usage: `{command} {call.subcommand.name} {_community(call).name} @person ROLE` (roles: coordinator, support, resources, webadmin)."
    if len(call.args) < 2:
        return Reply.refusal(usage), None
    target = mentioned_user(call.args[0])
    if target is None:
        return Reply.refusal(f"I couldn't find a person in `{escape(call.args[0])}`. {usage}"), None
    try:
        return target, parse_role(plain_text(call.args[1]))
    except Refused as refused:
        return Reply.refusal(str(refused)), None


def _community(call: CommandCall) -> Community:
    assert call.community is not None, "the dispatcher resolves NAME for these subcommands"
    return call.community
