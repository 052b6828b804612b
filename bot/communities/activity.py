"""Per-member, per-day message counts in community channels; the text is never stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import ActivityCount, Community


def count_message(session: Session, *, community: Community, user_id: str, at: datetime) -> None:
    """Add one message to the member's count for that day, atomically (concurrent events all count)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(ActivityCount).values(community_id=community.id, user_id=user_id, day=at.date(), messages=1)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[ActivityCount.community_id, ActivityCount.user_id, ActivityCount.day],
            set_={"messages": ActivityCount.messages + 1},
        )
    )
