"""Community listings, info cards, member lists and the edit modal."""

from __future__ import annotations

from bot.communities.lifecycle import LIMITS
from bot.communities.roles import ROLE_TITLES
from bot.slack.blocks import (
    Block,
    button,
    context,
    header,
    link,
    mentions,
    modal,
    plain_input,
    section,
    sections_of_lines,
)
from bot.slack.markup import escape
from storage.models import Community, Resource, Role

EDIT_CALLBACK = "community_edit"
JOIN_ACTION = "community_join"
LIST_LIMIT = 45


def community_row(community: Community, members: int, *, channel: bool = False) -> Block:
    """Name, member count and purpose, with a Join button."""
    where = f" · <#{community.channel_id}>" if channel else ""
    count = f"{members} member{'s' if members != 1 else ''}"
    return {
        **section(f"*{escape(community.name)}*{where} · {count}\n{escape(community.purpose)}"),
        "accessory": button("Join", action_id=JOIN_ACTION, value=community.name),
    }


def build_community_list(communities: list[tuple[Community, int]], *, command: str) -> list[Block]:
    """Name, purpose, member count and a Join button for each community."""
    if not communities:
        return [
            section(
                f"There are no communities yet. A workspace admin can start one with `{command} create NAME PURPOSE…` in its channel."
            )
        ]
    blocks: list[Block] = [header("Communities of practice")]
    blocks.extend(community_row(community, members, channel=True) for community, members in communities[:LIST_LIMIT])
    if len(communities) > LIST_LIMIT:
        blocks.append(context(f"…and {len(communities) - LIST_LIMIT} more. `{command} info NAME` shows any of them."))
    return blocks


def build_community_info(
    community: Community,
    *,
    members: int,
    core: dict[Role, list[str]],
    pinned: list[Resource],
    next_discussion: str | None,
) -> list[Block]:
    """Purpose, channel, core group, member count, pinned resources and the next discussion."""
    roles = "\n".join(f"{ROLE_TITLES[role].capitalize()}: {mentions(core[role])}" for role in Role)
    blocks: list[Block] = [
        header(community.name),
        section(
            f"{escape(community.purpose)}\nChannel: <#{community.channel_id}> · {members} member{'s' if members != 1 else ''}"
        ),
    ]
    if community.description:
        blocks.append(section(escape(community.description)))
    if community.links:
        blocks.append(section(f"*Links*\n{escape(community.links)}"))
    blocks.append(section(f"*Core group*\n{roles}"))
    if pinned:
        blocks.append(section("*Pinned resources*\n" + "\n".join(f"• {link(r.url, r.title)}" for r in pinned)))
    blocks.append(section(f"*Next discussion*\n{next_discussion or 'none scheduled'}"))
    return blocks


def build_member_list(community: Community, rows: list[tuple[str, list[str], list[str]]]) -> list[Block]:
    """Members with their roles and stated expertise, packed into sections."""
    lines = []
    for user_id, roles, expertise in rows:
        role_text = f" — {', '.join(ROLE_TITLES[Role(role)] for role in roles)}" if roles else ""
        expertise_text = f" · _{escape(', '.join(expertise))}_" if expertise else ""
        lines.append(f"• <@{user_id}>{role_text}{expertise_text}")
    blocks: list[Block] = [header(f"{community.name}: {len(rows)} member{'s' if len(rows) != 1 else ''}")]
    blocks.extend(sections_of_lines(lines)[:48])
    return blocks


def build_edit_modal(community: Community) -> Block:
    """The modal coordinators and website administrators use to edit a community's texts."""
    return modal(
        callback_id=EDIT_CALLBACK,
        title=f"Edit {community.name}"[:24],
        private_metadata=str(community.id),
        blocks=[
            plain_input(block_id="purpose", label="Purpose", initial=community.purpose, max_length=LIMITS["purpose"]),
            plain_input(
                block_id="description",
                label="Description",
                initial=community.description,
                multiline=True,
                optional=True,
                max_length=LIMITS["description"],
            ),
            plain_input(
                block_id="links",
                label="Links (one per line)",
                initial=community.links,
                multiline=True,
                optional=True,
                max_length=LIMITS["links"],
            ),
            plain_input(
                block_id="welcome_text",
                label="How to take part (in the welcome DM)",
                initial=community.welcome_text,
                multiline=True,
                optional=True,
                max_length=LIMITS["welcome_text"],
                placeholder="Leave empty for the standard text",
            ),
        ],
    )
