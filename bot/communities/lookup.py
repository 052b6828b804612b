"""Queries named for what they answer, shared by handlers, domain and jobs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from storage.models import Community, Membership, RoleAssignment


def community_by_name(session: Session, name: str) -> Community | None:
    """The live (not archived) community with that name."""
    return session.scalar(select(Community).where(Community.name == name, Community.archived_at.is_(None)))


def community_for_channel(session: Session, channel_id: str) -> Community | None:
    """The live community linked to a channel, if any."""
    return session.scalar(select(Community).where(Community.channel_id == channel_id, Community.archived_at.is_(None)))


def live_community_names(session: Session) -> list[str]:
    """Names of all communities that are not archived."""
    return list(session.scalars(select(Community.name).where(Community.archived_at.is_(None))))


def roles_of(session: Session, user_id: str, community_id: int | None = None) -> set[str]:
    """The roles a user holds, in one community or anywhere."""
    query = select(RoleAssignment.role).where(RoleAssignment.user_id == user_id)
    if community_id is not None:
        query = query.where(RoleAssignment.community_id == community_id)
    return set(session.scalars(query))


def role_holders(session: Session, community_id: int, role: str) -> Sequence[str]:
    """User ids holding a role in a community, in assignment order."""
    return session.scalars(
        select(RoleAssignment.user_id)
        .where(RoleAssignment.community_id == community_id, RoleAssignment.role == role)
        .order_by(RoleAssignment.id)
    ).all()


def is_active_member(session: Session, user_id: str, community_id: int) -> bool:
    """True while the user has a membership that has not ended."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    Membership.community_id == community_id,
                    Membership.user_id == user_id,
                    Membership.left_at.is_(None),
                )
            )
        )
    )


def is_member_anywhere(session: Session, user_id: str) -> bool:
    """True when the user is an active member of any community."""
    return bool(session.scalar(select(exists().where(Membership.user_id == user_id, Membership.left_at.is_(None)))))


def communities_of(session: Session, user_id: str) -> list[Community]:
    """The live communities a user is a member of, by name."""
    return list(
        session.scalars(
            select(Community)
            .join(Membership, Membership.community_id == Community.id)
            .where(Membership.user_id == user_id, Membership.left_at.is_(None), Community.archived_at.is_(None))
            .order_by(Community.name)
        )
    )
