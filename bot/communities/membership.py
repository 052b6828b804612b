"""Memberships: one active stint per person and community, however many times or ways they join."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Community, Membership


@dataclass(frozen=True)
class JoinResult:
    """The membership, and whether this request created it."""

    membership: Membership
    joined: bool


def active_membership(session: Session, community: Community, user_id: str) -> Membership | None:
    """The person's current membership, if any."""
    return session.scalar(
        select(Membership).where(
            Membership.community_id == community.id, Membership.user_id == user_id, Membership.left_at.is_(None)
        )
    )


def add_membership(session: Session, community: Community, *, user_id: str, source: str, now: datetime) -> JoinResult:
    """Make the person a member once (a concurrent join that committed first wins); no welcome here."""
    existing = active_membership(session, community, user_id)
    if existing is not None:
        return JoinResult(existing, joined=False)
    membership = Membership(community_id=community.id, user_id=user_id, joined_at=now, source=source)
    try:
        with session.begin_nested():
            session.add(membership)
    except IntegrityError:  # a concurrent join committed first
        existing = active_membership(session, community, user_id)
        if existing is None:
            raise
        return JoinResult(existing, joined=False)
    return JoinResult(membership, joined=True)


def leave_community(session: Session, community: Community, *, user_id: str, now: datetime) -> bool:
    """End the person's membership; False when they were not a member."""
    membership = active_membership(session, community, user_id)
    if membership is None:
        return False
    membership.left_at = now
    return True
