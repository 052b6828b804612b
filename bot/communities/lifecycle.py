"""Communities and their core group: create, edit, archive, roles. Plain values in, plain results out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.commands import COMMUNITY_NAME
from bot.communities.lookup import community_for_channel, role_holders
from bot.slack.markup import escape
from storage.models import Community, Membership, Role, RoleAssignment, Schedule

ROLE_TITLES = {
    Role.COORDINATOR: "coordinator",
    Role.SUPPORT: "member support",
    Role.RESOURCES: "information resources",
    Role.WEBADMIN: "website administrator",
}
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


def name_problem(name: str) -> str | None:
    """Why a community name is not acceptable, or None."""
    if COMMUNITY_NAME.match(name):
        return None
    return "A community name is 2–40 lowercase letters, digits and hyphens, such as `data-science`."


def create_community(
    session: Session, *, name: str, purpose: str, channel_id: str, creator: str, now: datetime
) -> Community:
    """Create a community for a channel; the creator becomes its coordinator and first member."""
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
    taken = session.scalar(select(Community).where(Community.name == name))
    if taken is not None:
        state = " (archived)" if taken.archived_at else ""
        raise Refused(f"There is already a community called `{name}`{state}. Pick another name.")
    linked = community_for_channel(session, channel_id)
    if linked is not None:
        raise Refused(f"This channel already belongs to `{linked.name}`. Each community has its own channel.")
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
    except IntegrityError:
        raise Refused(f"There is already a community called `{name}`. Pick another name.") from None
    session.add(
        RoleAssignment(
            community_id=community.id, user_id=creator, role=Role.COORDINATOR, assigned_by=creator, assigned_at=now
        )
    )
    session.add(Membership(community_id=community.id, user_id=creator, joined_at=now, source="create"))
    return community


def live_communities(session: Session) -> list[tuple[Community, int]]:
    """Every community not archived, with its member count, by name."""
    counts = (
        select(Membership.community_id, func.count().label("members"))
        .where(Membership.left_at.is_(None))
        .group_by(Membership.community_id)
        .subquery()
    )
    rows = session.execute(
        select(Community, func.coalesce(counts.c.members, 0))
        .outerjoin(counts, counts.c.community_id == Community.id)
        .where(Community.archived_at.is_(None))
        .order_by(Community.name)
    ).all()
    return [(community, int(members)) for community, members in rows]


def member_count(session: Session, community: Community) -> int:
    """How many people are members now."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.community_id == community.id, Membership.left_at.is_(None))
        )
        or 0
    )


def core_group(session: Session, community: Community) -> dict[Role, list[str]]:
    """Holders of each role, in assignment order."""
    return {role: list(role_holders(session, community.id, role)) for role in Role}


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
    """Hide the community and stop its schedules; all its data stays."""
    community.archived_at = now
    for schedule in session.scalars(select(Schedule).where(Schedule.community_id == community.id)):
        schedule.enabled = False


def parse_role(word: str) -> Role:
    """The role named by a ROLE word, or Refused naming the four."""
    try:
        return Role(word.lower())
    except ValueError:
        names = ", ".join(f"`{role.value}`" for role in Role)
        raise Refused(f"There is no role `{escape(word)}`. Roles are {names}.") from None


def assign_role(session: Session, community: Community, *, user_id: str, role: Role, by: str, now: datetime) -> bool:
    """Give a role; False when the person already holds it. Role holders become members."""
    held = session.scalar(
        select(RoleAssignment).where(
            RoleAssignment.community_id == community.id, RoleAssignment.user_id == user_id, RoleAssignment.role == role
        )
    )
    if held is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                RoleAssignment(community_id=community.id, user_id=user_id, role=role, assigned_by=by, assigned_at=now)
            )
    except IntegrityError:  # the same role given at the same moment by someone else
        return False
    return True


def remove_role(session: Session, community: Community, *, user_id: str, role: Role) -> bool:
    """Take a role back; False when not held. The last coordinator cannot be removed."""
    held = session.scalar(
        select(RoleAssignment).where(
            RoleAssignment.community_id == community.id, RoleAssignment.user_id == user_id, RoleAssignment.role == role
        )
    )
    if held is None:
        return False
    if role == Role.COORDINATOR and len(role_holders(session, community.id, Role.COORDINATOR)) == 1:
        raise Refused("A community always keeps at least one coordinator: name another coordinator first.")
    session.delete(held)
    return True


def roles_by_member(session: Session, community: Community) -> dict[str, list[str]]:
    """Each role holder's roles, for member lists."""
    result: dict[str, list[str]] = {}
    for user_id, role in session.execute(
        select(RoleAssignment.user_id, RoleAssignment.role)
        .where(RoleAssignment.community_id == community.id)
        .order_by(RoleAssignment.id)
    ):
        result.setdefault(user_id, []).append(role)
    return result


def active_members(session: Session, community: Community) -> list[Membership]:
    """Current memberships, oldest first."""
    return list(
        session.scalars(
            select(Membership)
            .where(Membership.community_id == community.id, Membership.left_at.is_(None))
            .order_by(Membership.joined_at, Membership.id)
        )
    )
