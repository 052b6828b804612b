"""Discussion prompts: the queue coordinators fill, posting the oldest on the prompt schedule, counting replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.communities.lifecycle import Refused
from bot.delivery.outbox import post_message
from bot.rhythms.blocks import build_prompt_post
from bot.slack.markup import escape
from schedules.spec import CommunityOccasion
from storage.db import rows_changed
from storage.models import Community, DiscussionPrompt, OutboxMessage

MAX_PROMPT = 1500
RECENT = 10


@dataclass(frozen=True)
class PromptQueue:
    """What `/cop prompts` shows: the first queued prompts, how many are queued, the last posted."""

    queued: list[DiscussionPrompt]
    queued_total: int
    posted: list[DiscussionPrompt]


def queue_prompt(
    session: Session, community: Community, *, text: str, by: str, now: datetime
) -> tuple[DiscussionPrompt, int]:
    """Add a prompt at the end of the queue; returns it and its position."""
    text = text.strip()
    if not text:
        raise Refused("What should the community discuss? Add the prompt's text after the name.")
    if len(text) > MAX_PROMPT:
        raise Refused(f"Keep a prompt under {MAX_PROMPT} characters; the thread can go deeper.")
    prompt = DiscussionPrompt(community_id=community.id, text=text, queued_by=by, queued_at=now, reply_count=0)
    session.add(prompt)
    session.flush()
    return prompt, _queued_count(session, community)


def prompt_queue(session: Session, community: Community, *, limit: int = 40) -> PromptQueue:
    """The queue, oldest first (up to `limit`), and the last ten posted prompts, newest first."""
    queued = list(
        session.scalars(
            select(DiscussionPrompt)
            .where(DiscussionPrompt.community_id == community.id, DiscussionPrompt.posted_at.is_(None))
            .order_by(DiscussionPrompt.id)
            .limit(limit)
        )
    )
    posted = list(
        session.scalars(
            select(DiscussionPrompt)
            .where(DiscussionPrompt.community_id == community.id, DiscussionPrompt.posted_at.is_not(None))
            .order_by(DiscussionPrompt.posted_at.desc(), DiscussionPrompt.id.desc())
            .limit(RECENT)
        )
    )
    return PromptQueue(queued=queued, queued_total=_queued_count(session, community), posted=posted)


def remove_prompt(session: Session, *, prompt_id: int) -> DiscussionPrompt | None:
    """Take a queued prompt out of the queue; None when it is gone or already posted."""
    prompt = session.get(DiscussionPrompt, prompt_id)
    if prompt is None or prompt.posted_at is not None:
        return None
    session.delete(prompt)
    return prompt


def prompt_by_id(session: Session, prompt_id: int) -> DiscussionPrompt | None:
    """The prompt with that id."""
    return session.get(DiscussionPrompt, prompt_id)


def next_queued(session: Session, community: Community) -> DiscussionPrompt | None:
    """The prompt that goes out next."""
    return session.scalar(
        select(DiscussionPrompt)
        .where(DiscussionPrompt.community_id == community.id, DiscussionPrompt.posted_at.is_(None))
        .order_by(DiscussionPrompt.id)
        .limit(1)
    )


def post_next_prompt(session: Session, community: Community, occasion: CommunityOccasion) -> str:
    """The prompt job: post the oldest queued prompt in the community channel (nothing when none is queued)."""
    prompt = next_queued(session, community)
    if prompt is None:
        return "nothing queued, nothing posted"
    message = post_message(
        session,
        channel=community.channel_id,
        text=f"Discussion prompt for {escape(community.name)}: {escape(prompt.text)}",
        blocks=build_prompt_post(community, prompt),
        kind="discussion_prompt",
        now=occasion.now,
        on_behalf_of=prompt.queued_by,
        describes=f"the discussion prompt you queued for <#{community.channel_id}>",
    )
    session.flush()
    prompt.posted_at = occasion.now
    prompt.outbox_id = message.id
    prompt.channel_id = community.channel_id
    left = _queued_count(session, community)
    shown = prompt.text if len(prompt.text) <= 60 else prompt.text[:59].rstrip() + "…"
    return f"posted “{shown}” ({left} still queued)"


def count_prompt_reply(session: Session, *, channel_id: str, thread_ts: str) -> bool:
    """Count a reply in a posted prompt's thread; False when the thread is not a prompt's."""
    prompt_id = session.scalar(
        select(DiscussionPrompt.id)
        .join(OutboxMessage, OutboxMessage.id == DiscussionPrompt.outbox_id)
        .where(OutboxMessage.result_channel == channel_id, OutboxMessage.result_ts == thread_ts)
    )
    if prompt_id is None:
        return False
    changed = session.execute(
        update(DiscussionPrompt)
        .where(DiscussionPrompt.id == prompt_id)
        .values(reply_count=DiscussionPrompt.reply_count + 1, message_ts=thread_ts)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(changed) == 1


def _queued_count(session: Session, community: Community) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(DiscussionPrompt)
            .where(DiscussionPrompt.community_id == community.id, DiscussionPrompt.posted_at.is_(None))
        )
        or 0
    )
