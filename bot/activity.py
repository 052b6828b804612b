"""Per-member, per-day message counts in community channels; the text is never stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ActivityCount, Community


def count_message(session: Session, *, community: Community, user_id: str, at: datetime) -> int:
    """Add one message to the member's count for that day; returns the day's count."""
    day = at.date()
    row = session.scalar(
        select(ActivityCount).where(
            ActivityCount.community_id == community.id,
            ActivityCount.user_id == user_id,
            ActivityCount.day == day,
        )
    )
    if row is None:
        row = ActivityCount(community_id=community.id, user_id=user_id, day=day, messages=0)
        session.add(row)
    row.messages += 1
    return row.messages
