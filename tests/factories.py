"""Builders for stored state the tests start from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.models import Community, Membership, Role, RoleAssignment


def add_community(
    session: Session,
    *,
    name: str = "python",
    channel_id: str = "C_PYTHON",
    coordinator: str = "U_ADMIN",
    now: datetime,
    purpose: str = "Python at work",
) -> Community:
    """A community with its coordinator as the first member."""
    community = Community(
        name=name,
        purpose=purpose,
        description="",
        links="",
        welcome_text="",
        channel_id=channel_id,
        created_by=coordinator,
        created_at=now,
    )
    session.add(community)
    session.flush()
    session.add(
        RoleAssignment(
            community_id=community.id,
            user_id=coordinator,
            role=Role.COORDINATOR,
            assigned_by=coordinator,
            assigned_at=now,
        )
    )
    add_member(session, community=community, user_id=coordinator, now=now)
    return community


def add_member(session: Session, *, community: Community, user_id: str, now: datetime) -> Membership:
    """An active membership."""
    membership = Membership(community_id=community.id, user_id=user_id, joined_at=now, source="command")
    session.add(membership)
    session.flush()
    return membership
