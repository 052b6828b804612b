"""A community's life: create it for a channel, edit its texts, archive it. Plain values in, plain results out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.communities.lookup import community_for_channel, community_name
from bot.delivery.outbox import enqueue
from bot.slack.markup import escape
from storage.models import Community, Membership, Role, RoleAssignment

COMMUNITY_NAME = re.compile(r"[a-z0-9-]{2,40}")  # always fullmatch: `$` would let a trailing newline in
LIMITS = {"purpose": 300, "description": 2000, "links": 1500, "welcome_text": 1500}


class Refused(Exception):
    """A request that cannot be done; the message says why, for the person who asked."""


@dataclass(frozen=True)
class CommunityEdit:
    """The editable texts of a community."""

    purpose: str
    description: str
    links: str
    welcome_text: str


def _refuse_if_taken(session: Session, *, name: str, channel_id: str, command: str) -> None:
    taken = session.scalar(select(Community).where(Community.name == name))
    if taken is not None and taken.archived_at is not None:
        raise Refused(
            f"There is already a community called `{name}`, archived: bring it back with `{command} unarchive {name}`, "
            "or pick another name."
        )
    if taken is not None:
        raise Refused(f"There is already a community called `{name}`. Pick another name.")
    linked = community_for_channel(session, channel_id)
    if linked is not None:
        raise Refused(f"This channel already belongs to `{linked.name}`. Each community has its own channel.")


def name_problem(name: str) -> str | None:
    """Why a community name is not acceptable, or None."""
    if COMMUNITY_NAME.fullmatch(name):
        return None
    return "A community name is 2–40 lowercase letters, digits and hyphens, such as `data-science`."


def create_community(
    session: Session,
    *,
    name: str,
    purpose: str,
    channel_id: str,
    creator: str,
    now: datetime,
    founding_members: Sequence[str] = (),
    join_channel: bool = True,
    command: str = "/cop",
) -> Community:
    """Create a community for a channel; the creator becomes its coordinator and first member.

    The people already in the channel become its founding members: members from the start,
    with no welcome DM and no alerts (they are not newcomers).
    """
    name = community_name(name)
    problem = name_problem(name)
    if problem:
        raise Refused(problem)
    purpose = purpose.strip()
    if not purpose:
        raise Refused("Tell people what the community is for: `create NAME PURPOSE…`.")
    if len(purpose) > LIMITS["purpose"]:
        raise Refused(f"Keep the purpose under {LIMITS['purpose']} characters; the description can say more.")
    if not channel_id.startswith(("C", "G")):
        raise Refused("Create a community from the channel it should live in (not from a DM).")
    _refuse_if_taken(session, name=name, channel_id=channel_id, command=command)
    community = Community(
        name=name,
        purpose=purpose,
        description="",
        links="",
        welcome_text="",
        channel_id=channel_id,
        created_by=creator,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(community)
    except IntegrityError:  # a concurrent create took the name or the channel: say which
        _refuse_if_taken(session, name=name, channel_id=channel_id, command=command)
        raise
    session.add(
        RoleAssignment(
            community_id=community.id, user_id=creator, role=Role.COORDINATOR, assigned_by=creator, assigned_at=now
        )
    )
    session.add(Membership(community_id=community.id, user_id=creator, joined_at=now, source="create"))
    for user_id in dict.fromkeys(founding_members):
        if user_id != creator:
            session.add(Membership(community_id=community.id, user_id=user_id, joined_at=now, source="founding"))
    if join_channel:  # so copbot can post questions and prompts there
        enqueue(
            session,
            method="conversations.join",
            channel=channel_id,
            payload={"channel": channel_id},
            kind="join_channel",
            now=now,
        )
    return community


def edit_community(session: Session, community: Community, edit: CommunityEdit) -> dict[str, str]:
    """Apply an edit; returns field errors (nothing is changed when there are any)."""
    values = {
        "purpose": edit.purpose.strip(),
        "description": edit.description.strip(),
        "links": edit.links.strip(),
        "welcome_text": edit.welcome_text.strip(),
    }
    errors = {
        field: f"Keep this under {limit} characters." for field, limit in LIMITS.items() if len(values[field]) > limit
    }
    if not values["purpose"]:
        errors["purpose"] = "A community needs a purpose."
    if errors:
        return errors
    for field, value in values.items():
        setattr(community, field, value)
    return {}


def archive_community(session: Session, community: Community, *, now: datetime) -> None:
    """Hide the community; its schedules stop (the scheduler skips archived communities) and all its data,
    schedules included, stays for `unarchive_community`."""
    community.archived_at = now


def unarchive_community(session: Session, community: Community, *, now: datetime) -> None:
    """Bring an archived community back with its members, roles and schedules; what its schedules
    would have run while it was archived never runs. Refused when its channel has a community again."""
    taken = community_for_channel(session, community.channel_id)
    if taken is not None:
        raise Refused(
            f"<#{community.channel_id}> belongs to `{taken.name}` now, and each community has its own channel. "
            f"Archive `{taken.name}` first, or bring `{community.name}` back in a channel of its own."
        )
    community.archived_at = None
    community.revived_at = now
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # a community was created in the channel at this very moment
        community.archived_at = now  # the savepoint rolled back; keep the object in step
        raise Refused(f"<#{community.channel_id}> was just given another community. Pick another channel.") from None


def archived_text(community: Community, command: str) -> str:
    """What to say about an archived community: that it is, and how to bring it back."""
    return (
        f"*{escape(community.name)}* is archived. A coordinator or a workspace admin can bring it back, "
        f"with its members and schedules: `{command} unarchive {community.name}`."
    )
