"""Joining and leaving communities; a new membership starts the welcome flow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.welcome.flow import start_welcome
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


def join_community(
    session: Session,
    community: Community,
    *,
    user_id: str,
    source: str,
    now: datetime,
    command: str = "/cop",
    welcome: bool = True,
) -> JoinResult:
    """Make the person a member (once, however many times or ways they join) and welcome them."""
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
    if welcome:
        start_welcome(session, community, membership, now=now, command=command)
    return JoinResult(membership, joined=True)


def leave_community(session: Session, community: Community, *, user_id: str, now: datetime) -> bool:
    """End the person's membership; False when they were not a member."""
    membership = active_membership(session, community, user_id)
    if membership is None:
        return False
    membership.left_at = now
    return True
