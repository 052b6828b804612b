"""The App Home view: what it holds for one viewer, and its Block Kit."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.communities.blocks import community_row
from bot.communities.roles import ROLE_TITLES
from bot.slack.blocks import Block, button, context, header, link, section, sections_of_lines
from bot.slack.markup import escape
from bot.welcome.blocks import CLAIM_ACTION
from storage.models import Community, DigestSnapshot, Resource, Role, WelcomeAlert

SHOWN = 15  # newcomers waiting, resources to review: the oldest first, then "and more"
OTHERS_SHOWN = 10
MEMBERSHIPS_SHOWN = 60
HEALTH_SHOWN = 10


@dataclass
class HomeData:
    """Everything the App Home renders for one viewer."""

    memberships: list[tuple[Community, list[str]]] = field(default_factory=list)
    waiting_welcomes: list[tuple[WelcomeAlert, Community]] = field(default_factory=list)
    review_queue: list[tuple[Resource, Community]] = field(default_factory=list)
    latest_resources: list[tuple[Resource, Community]] = field(default_factory=list)
    other_communities: list[tuple[Community, int]] = field(default_factory=list)
    other_total: int = 0
    health: list[tuple[Community, DigestSnapshot | None]] = field(default_factory=list)  # what the viewer coordinates


def build_home(data: HomeData, *, command: str) -> Block:
    """The viewer's App Home, within Slack's 100-block limit: every list is capped, and says when there is more."""
    blocks: list[Block] = [header("Your communities of practice")]
    if data.memberships:
        lines = []
        for community, roles in data.memberships[:MEMBERSHIPS_SHOWN]:
            role_text = f" — {', '.join(ROLE_TITLES[Role(r)] for r in roles)}" if roles else ""
            lines.append(f"• *{escape(community.name)}* <#{community.channel_id}>{role_text}")
        blocks.extend(sections_of_lines(lines))
        blocks.extend(_more(len(data.memberships) - MEMBERSHIPS_SHOWN, f"`{command} list` shows them all."))
    else:
        blocks.append(section(f"You are not in a community yet. Join one below or with `{command} join NAME`."))
    if data.health:
        blocks.append(header("How your communities are doing"))
        for community, snapshot in data.health[:HEALTH_SHOWN]:
            if snapshot is None:
                blocks.append(
                    section(
                        f"*{escape(community.name)}*: no digest yet — `{command} digest {community.name}` shows one now."
                    )
                )
                continue
            figures = "\n".join(f"• {line}" for line in snapshot.lines)
            blocks.append(section(f"*{escape(community.name)}* — {escape(snapshot.period_label)}\n{figures}"))
        blocks.extend(_more(len(data.health) - HEALTH_SHOWN, f"`{command} digest NAME` shows any of them."))
    if data.waiting_welcomes:
        blocks.append(header("Newcomers waiting for a welcome"))
        for alert, community in data.waiting_welcomes[:SHOWN]:
            blocks.append(
                {
                    **section(
                        f"<@{alert.newcomer_id}> joined *{escape(community.name)}* <!date^{int(alert.created_at.timestamp())}^{{date_short_pretty}} at {{time}}|recently>"
                    ),
                    "accessory": button("I'll welcome them", action_id=CLAIM_ACTION, value=str(alert.id)),
                }
            )
        if len(data.waiting_welcomes) > SHOWN:
            blocks.append(context("…and more newcomers after these: they show here as these are welcomed."))
    if data.review_queue:
        blocks.append(header("Resources to review"))
        for resource, community in data.review_queue[:SHOWN]:
            blocks.append(
                section(
                    f"{link(resource.url, resource.title)} · {resource.kind} in *{escape(community.name)}*, shared by <@{resource.shared_by}>"
                )
            )
        if len(data.review_queue) > SHOWN:
            blocks.append(context("…and more waiting after these, oldest first."))
    if data.latest_resources:
        blocks.append(header("Latest resources"))
        lines = [
            f"• {link(r.url, r.title)} · *{escape(c.name)}*" + (" :pushpin:" if r.pinned else "")
            for r, c in data.latest_resources
        ]
        blocks.append(section("\n".join(lines)))
    if data.other_communities:
        blocks.append(header("Other communities"))
        blocks.extend(community_row(community, members) for community, members in data.other_communities)
        blocks.extend(_more(data.other_total - len(data.other_communities), f"`{command} list` shows them all."))
    blocks.append(context(f"`{command} help` shows everything copbot can do."))
    return {"type": "home", "blocks": blocks}


def _more(hidden: int, where: str) -> list[Block]:
    return [context(f"…and {hidden:,} more. {where}")] if hidden > 0 else []
