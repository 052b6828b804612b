"""Welcome messages: the newcomer's DM, the volunteers' alerts, and what they turn into once claimed."""

from __future__ import annotations

from datetime import datetime

from bot.communities.blocks import community_row
from bot.slack.blocks import Block, actions, button, context, link, mentions, modal, plain_input, section
from bot.slack.markup import escape
from storage.models import Community, Resource

CLAIM_ACTION = "welcome_claim"
INTRODUCE_ACTION = "welcome_introduce"
EXPERTISE_ACTION = "welcome_expertise"
INTRODUCTION_CALLBACK = "welcome_introduction"
EXPERTISE_CALLBACK = "expertise_set"


def default_how_to_take_part(community: Community, command: str) -> str:
    """What a newcomer can do first, when the coordinators wrote no welcome text."""
    return (
        f"Say hello in <#{community.channel_id}>, ask what you want to know with "
        f"`{command} ask {community.name} …`, and share what you find useful with `{command} share {community.name}`."
    )


def build_welcome_dm(
    community: Community,
    *,
    newcomer: str,
    coordinators: list[str],
    support: list[str],
    pinned: list[Resource],
    next_discussion: str | None,
    command: str,
) -> list[Block]:
    """The newcomer's DM: purpose, how to take part, who's who, pinned resources, next discussion, buttons."""
    how = escape(community.welcome_text) if community.welcome_text else default_how_to_take_part(community, command)
    blocks: list[Block] = [
        section(f":wave: Welcome to *{escape(community.name)}*, <@{newcomer}>!\n{escape(community.purpose)}"),
        section(f"*How to take part*\n{how}"),
        section(
            f"*Who's who*\nCoordinators: {mentions(coordinators)}\n"
            f"Member support: {mentions(support, none='the coordinators')}"
        ),
    ]
    if pinned:
        lines = "\n".join(f"• {link(resource.url, resource.title)}" for resource in pinned[:3])
        blocks.append(section(f"*Start here*\n{lines}"))
    if next_discussion:
        blocks.append(section(f"*Next discussion*\n{next_discussion}"))
    blocks.append(
        actions(
            button("Introduce yourself", action_id=INTRODUCE_ACTION, value=str(community.id), style="primary"),
            button("Set my expertise", action_id=EXPERTISE_ACTION, value=str(community.id)),
        )
    )
    return blocks


def build_welcome_alert(community: Community, *, newcomer: str, alert_id: int) -> list[Block]:
    """A volunteer's alert about a newcomer, with the claim button."""
    return [
        section(
            f":seedling: <@{newcomer}> just joined *{escape(community.name)}*. "
            f"Could you welcome them? A DM or a hello in <#{community.channel_id}> goes a long way."
        ),
        actions(button("I'll welcome them", action_id=CLAIM_ACTION, value=str(alert_id), style="primary")),
    ]


def build_claimed_alert(community: Community, *, newcomer: str, claimer: str, viewer: str) -> list[Block]:
    """What an alert says once someone claimed the welcome."""
    who = "You are" if viewer == claimer else f"<@{claimer}> is"
    return [section(f":white_check_mark: {who} welcoming <@{newcomer}> to *{escape(community.name)}*.")]


def build_escalation(
    community: Community, *, newcomer: str, alert_id: int, joined_at: datetime, now: datetime
) -> list[Block]:
    """The coordinators' reminder about a newcomer nobody claimed."""
    hours = int((now - joined_at).total_seconds() // 3600)
    return [
        section(
            f":hourglass: <@{newcomer}> joined *{escape(community.name)}* {hours} hours ago and nobody "
            "has welcomed them yet. Could you say hello, or ask someone to?"
        ),
        actions(button("I'll welcome them", action_id=CLAIM_ACTION, value=str(alert_id), style="primary")),
    ]


def build_workspace_greeting(communities: list[tuple[Community, int]], *, command: str) -> list[Block]:
    """The DM to someone new in the workspace: the communities, each with a Join button."""
    blocks: list[Block] = [
        section(
            ":wave: Welcome to the workspace! People here learn together in *communities of practice*. "
            "Join any that fit what you do — you can leave again at any time."
        )
    ]
    blocks.extend(community_row(community, members) for community, members in communities[:45])
    if len(communities) > 45:
        blocks.append(context(f"…and {len(communities) - 45} more: `{command} list`"))
    return blocks


def build_introduction(community: Community, *, user_id: str, text: str) -> list[Block]:
    """A newcomer's introduction, posted in the community channel."""
    quoted = "\n".join(f">{line}" for line in escape(text).splitlines())
    return [section(f":wave: *<@{user_id}> introduces themselves to {escape(community.name)}:*\n{quoted}")]


def build_introduce_modal(community: Community) -> Block:
    """The "Introduce yourself" modal."""
    return modal(
        callback_id=INTRODUCTION_CALLBACK,
        title="Introduce yourself",
        submit="Post",
        private_metadata=str(community.id),
        blocks=[
            section(f"Your introduction is posted in <#{community.channel_id}> for *{escape(community.name)}*."),
            plain_input(
                block_id="introduction",
                label="Who are you, and what brings you here?",
                multiline=True,
                max_length=2000,
                placeholder="I work on… I'd like to learn… I can help with…",
            ),
        ],
    )


def build_expertise_modal(keywords: list[str], *, command: str) -> Block:
    """The "Set my expertise" modal, prefilled."""
    return modal(
        callback_id=EXPERTISE_CALLBACK,
        title="Your expertise",
        blocks=[
            plain_input(
                block_id="expertise",
                label="What could people ask you about? (comma-separated)",
                initial=", ".join(keywords),
                optional=True,
                max_length=1000,
                placeholder="python, data pipelines, accessibility",
            ),
            context(f"Others find you with `{command} who TOPIC`. Leave it empty to clear your expertise."),
        ],
    )
