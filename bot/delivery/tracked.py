"""Tracked messages: a group of DMs about one thing, sent through the outbox and later updated together.

A welcome's alerts to every volunteer, the review DMs about a new resource, a check-in
and the help alerts it raises: each group is named by a topic (what kind of thing) and a
subject id (which one). When the thing changes (claimed, reviewed, answered) every
message of the group is edited in place, each in words fit for its own recipient.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.outbox import post_message, update_message, withdraw
from storage.models import OutboxMessage, TrackedMessage


@dataclass(frozen=True)
class Rendering:
    """What one recipient's message says now."""

    text: str
    blocks: list[dict[str, Any]] | None = None


def send_tracked(
    session: Session,
    *,
    topic: str,
    subject_id: int,
    recipient: str,
    rendering: Rendering,
    kind: str,
    now: datetime,
    dedupe_key: str | None = None,
    working_hours_zone: str | None = None,
) -> OutboxMessage:
    """Queue a DM to `recipient` as part of the group (topic, subject_id); the options are `enqueue`'s."""
    sent = post_message(
        session,
        channel=recipient,
        text=rendering.text,
        blocks=rendering.blocks,
        kind=kind,
        now=now,
        dedupe_key=dedupe_key,
        working_hours_zone=working_hours_zone,
    )
    session.flush()
    already = session.scalar(select(TrackedMessage.id).where(TrackedMessage.outbox_id == sent.id))
    if already is None:  # a deduplicated send returns the message already tracked
        session.add(TrackedMessage(topic=topic, subject_id=subject_id, recipient_id=recipient, outbox_id=sent.id))
    return sent


def update_tracked(
    session: Session,
    *,
    topic: str,
    subject_id: int,
    render: Callable[[str], Rendering],
    kind: str,
    now: datetime,
) -> int:
    """Queue an edit of every message of the group, `render(recipient)` saying what each now says; how many."""
    updated = 0
    for recipient, original in session.execute(
        select(TrackedMessage.recipient_id, OutboxMessage)
        .join(OutboxMessage, OutboxMessage.id == TrackedMessage.outbox_id)
        .where(TrackedMessage.topic == topic, TrackedMessage.subject_id == subject_id)
        .order_by(TrackedMessage.id)
    ):
        rendering = render(recipient)
        update_message(session, original=original, text=rendering.text, blocks=rendering.blocks, kind=kind, now=now)
        updated += 1
    return updated


def withdraw_tracked(session: Session, *, topic: str, subject_ids: list[int]) -> int:
    """Take back the groups' messages that are not sent yet; how many."""
    if not subject_ids:
        return 0
    message_ids = session.scalars(
        select(TrackedMessage.outbox_id).where(
            TrackedMessage.topic == topic, TrackedMessage.subject_id.in_(subject_ids)
        )
    ).all()
    return withdraw(session, list(message_ids))
