"""Discussion prompts: the queue coordinators fill, and the next discussion newcomers are told about."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.slack.markup import escape
from storage.models import Community, DiscussionPrompt, Schedule


def next_discussion(session: Session, community: Community) -> str | None:
    """The next queued discussion prompt and when prompts go out, if both exist."""
    schedule = session.scalar(
        select(Schedule).where(
            Schedule.community_id == community.id, Schedule.job == "prompt", Schedule.enabled.is_(True)
        )
    )
    prompt = session.scalar(
        select(DiscussionPrompt)
        .where(DiscussionPrompt.community_id == community.id, DiscussionPrompt.posted_at.is_(None))
        .order_by(DiscussionPrompt.id)
        .limit(1)
    )
    if schedule is None or prompt is None:
        return None
    return f"“{escape(prompt.text)}” — prompts go out {escape(schedule.spec)} ({schedule.timezone})"
