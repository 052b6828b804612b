"""Builders for stored state the tests start from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.communities.lifecycle import create_community
from storage.models import Community, Membership


def add_community(
    session: Session,
    *,
    name: str = "python",
    channel_id: str = "C_PYTHON",
    coordinator: str = "U_ADMIN",
    now: datetime,
    purpose: str = "Python at work",
) -> Community:
    """A community made the way `/cop create` makes it: its creator is coordinator and first member."""
    community = create_community(
        session, name=name, purpose=purpose, channel_id=channel_id, creator=coordinator, now=now
    )
    session.flush()
    return community


def add_member(session: Session, *, community: Community, user_id: str, now: datetime) -> Membership:
    """An active membership."""
    membership = Membership(community_id=community.id, user_id=user_id, joined_at=now, source="command")
    session.add(membership)
    session.flush()
    return membership
