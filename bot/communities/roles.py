"""The core group: who holds which of the four roles, and giving and taking them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.communities.lifecycle import Refused
from bot.communities.lookup import lock_community
from bot.communities.membership import add_membership
from bot.delivery.outbox import post_message
from bot.slack.markup import escape
from storage.models import Community, Role, RoleAssignment

ROLE_TITLES = {
    Role.COORDINATOR: "coordinator",
    Role.SUPPORT: "member support",
    Role.RESOURCES: "information resources",
    Role.WEBADMIN: "website administrator",
}
ROLE_DUTIES = {
    Role.COORDINATOR: "You'll get the weekly digest and can assign roles, schedule prompts and surveys.",
    Role.SUPPORT: "You'll get an alert for each newcomer, with a button to say you'll welcome them.",
    Role.RESOURCES: "You'll get newly shared resources to review: pin, retag or retire them.",
    Role.WEBADMIN: "You can edit the community's description, links and welcome text with `{command} edit`.",
}


def role_holders(session: Session, community_id: int, role: str) -> Sequence[str]:
    """User ids holding a role in a community, in assignment order."""
    return session.scalars(
        select(RoleAssignment.user_id)
        .where(RoleAssignment.community_id == community_id, RoleAssignment.role == role)
        .order_by(RoleAssignment.id)
    ).all()


def support_or_coordinators(session: Session, community: Community) -> list[str]:
    """Member support, or the coordinators when the community has none: who greets and helps members."""
    return list(role_holders(session, community.id, Role.SUPPORT)) or list(
        role_holders(session, community.id, Role.COORDINATOR)
    )


def roles_of(session: Session, user_id: str, community_id: int | None = None) -> set[str]:
    """The roles a user holds, in one community or anywhere."""
    query = select(RoleAssignment.role).where(RoleAssignment.user_id == user_id)
    if community_id is not None:
        query = query.where(RoleAssignment.community_id == community_id)
    return set(session.scalars(query))


def core_group(session: Session, community: Community) -> dict[Role, list[str]]:
    """Holders of each role, in assignment order."""
    return {role: list(role_holders(session, community.id, role)) for role in Role}


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


def parse_role(word: str) -> Role:
    """The role named by a ROLE word, or Refused naming the four."""
    try:
        return Role(word.lower())
    except ValueError:
        names = ", ".join(f"`{role.value}`" for role in Role)
        raise Refused(f"There is no role `{escape(word)}`. Roles are {names}.") from None


def assign_role(
    session: Session, community: Community, *, user_id: str, role: Role, by: str, now: datetime, command: str
) -> bool:
    """Give a role; False when the person already holds it. Role holders become members (no welcome DM),
    and someone given a role by another person hears what it means."""
    held = _assignment(session, community, user_id=user_id, role=role)
    if held is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                RoleAssignment(community_id=community.id, user_id=user_id, role=role, assigned_by=by, assigned_at=now)
            )
    except IntegrityError:  # the same role given at the same moment by someone else
        return False
    add_membership(session, community, user_id=user_id, source="role", now=now)
    if user_id != by:
        duties = ROLE_DUTIES[role].format(command=command)
        post_message(
            session,
            channel=user_id,
            text=f"<@{by}> made you {ROLE_TITLES[role]} of {escape(community.name)}. {duties}",
            kind="role_assigned",
            now=now,
        )
    return True


def remove_role(session: Session, community: Community, *, user_id: str, role: Role) -> bool:
    """Take a role back; False when not held. The last coordinator cannot be removed, even by two
    coordinators taking each other's role at the same moment (the community's row lock orders them)."""
    lock_community(session, community)
    held = _assignment(session, community, user_id=user_id, role=role)
    if held is None:
        return False
    if role == Role.COORDINATOR and len(role_holders(session, community.id, Role.COORDINATOR)) == 1:
        raise Refused("A community always keeps at least one coordinator: name another coordinator first.")
    session.delete(held)
    return True


def _assignment(session: Session, community: Community, *, user_id: str, role: Role) -> RoleAssignment | None:
    return session.scalar(
        select(RoleAssignment).where(
            RoleAssignment.community_id == community.id, RoleAssignment.user_id == user_id, RoleAssignment.role == role
        )
    )
