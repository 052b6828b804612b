"""Community listings, info cards, member lists and the edit modal."""

from __future__ import annotations

from bot.communities.lifecycle import LIMITS
from bot.communities.roles import ROLE_TITLES
from bot.slack.blocks import (
    Block,
    actions,
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
LIST_MORE_ACTION = "communities_more"  # value: the offset of the next page
MEMBERS_MORE_ACTION = "members_more"  # value: "<community id>:<offset of the next page>"
LIST_PAGE = 40  # one block each: a page stays within a message's 50 blocks
MEMBERS_PAGE = 100  # a line each


def community_row(community: Community, members: int, *, channel: bool = False) -> Block:
    """Name, member count and purpose, with a Join button."""
    where = f" · <#{community.channel_id}>" if channel else ""
    count = f"{members} member{'s' if members != 1 else ''}"
    return {
        **section(f"*{escape(community.name)}*{where} · {count}\n{escape(community.purpose)}"),
        "accessory": button("Join", action_id=JOIN_ACTION, value=community.name),
    }


def build_community_list(
    communities: list[tuple[Community, int]],
    *,
    total: int,
    offset: int = 0,
    command: str,
    archived: tuple[list[str], int] = ([], 0),
) -> list[Block]:
    """A page of communities: name, purpose, member count and a Join button each; More while there are more.
    With none live, the archived ones are named, with how to bring one back."""
    if not total:
        names, count = archived
        if count:
            shown = ", ".join(f"`{name}`" for name in names) + (
                f" and {count - len(names)} more" if count > len(names) else ""
            )
            return [
                section(
                    f"There are no live communities; {count} {'is' if count == 1 else 'are'} archived: {shown}. "
                    f"A coordinator or a workspace admin brings one back with `{command} unarchive NAME`."
                )
            ]
        return [
            section(
                f"There are no communities yet. A workspace admin can start one with `{command} create NAME PURPOSE…` in its channel."
            )
        ]
    blocks: list[Block] = [header("Communities of practice")]
    blocks.extend(community_row(community, members, channel=True) for community, members in communities)
    return blocks + page_footer(
        offset=offset,
        shown=len(communities),
        total=total,
        action_id=LIST_MORE_ACTION,
        value=str(offset + len(communities)),
    )


def page_footer(*, offset: int, shown: int, total: int, action_id: str, value: str) -> list[Block]:
    """ "41–80 of 1,201" and a More button while there are more; nothing when everything is shown."""
    if offset == 0 and shown >= total:
        return []
    footer: list[Block] = [context(f"{offset + 1:,}–{offset + shown:,} of {total:,}")]
    if offset + shown < total:
        footer.append(actions(button("More", action_id=action_id, value=value)))
    return footer


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


def build_member_list(
    community: Community, rows: list[tuple[str, list[str], list[str]]], *, total: int, offset: int = 0
) -> list[Block]:
    """A page of members (core group first) with their roles and stated expertise; More while there are more."""
    lines = []
    for user_id, roles, expertise in rows:
        role_text = f" — {', '.join(ROLE_TITLES[Role(role)] for role in roles)}" if roles else ""
        expertise_text = f" · _{escape(', '.join(expertise))}_" if expertise else ""
        lines.append(f"• <@{user_id}>{role_text}{expertise_text}")
    blocks: list[Block] = [header(f"{community.name}: {total:,} member{'s' if total != 1 else ''}")]
    blocks.extend(sections_of_lines(lines))
    next_page = f"{community.id}:{offset + len(rows)}"
    return blocks + page_footer(
        offset=offset, shown=len(rows), total=total, action_id=MEMBERS_MORE_ACTION, value=next_page
    )


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
