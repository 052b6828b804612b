"""Tracked messages: a group of DMs about one thing, updated together, each for its own reader."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.tracked import Rendering, send_tracked, update_tracked
from storage.models import OutboxMessage, TrackedMessage
from tests.bot.conftest import queued
from tests.conftest import START


def send(db: Session, topic: str, subject: int, recipient: str, *, key: str | None = None) -> OutboxMessage:
    return send_tracked(
        db,
        topic=topic,
        subject_id=subject,
        recipient=recipient,
        rendering=Rendering(text=f"about {topic} {subject}"),
        kind="test",
        now=START,
        dedupe_key=key,
    )


def test_an_update_edits_every_message_of_the_group_and_no_other(db: Session) -> None:
    first = send(db, "welcome", 1, "U_CAROL")
    second = send(db, "welcome", 1, "U_DAN")
    send(db, "welcome", 2, "U_CAROL")
    send(db, "resource_review", 1, "U_CAROL")
    edited = update_tracked(
        db, topic="welcome", subject_id=1, render=lambda who: Rendering(text=f"claimed, {who}"), kind="edit", now=START
    )
    assert edited == 2
    edits = [(q.method, q.channel, q.text) for q in queued(db, kind="edit")]
    assert edits == [("chat.update", "U_CAROL", "claimed, U_CAROL"), ("chat.update", "U_DAN", "claimed, U_DAN")]
    depends = db.scalars(select(OutboxMessage.depends_on_id).where(OutboxMessage.kind == "edit")).all()
    assert depends == [first.id, second.id], "each edit waits for the message it edits"


def test_a_deduplicated_send_is_tracked_once(db: Session) -> None:
    one = send(db, "welcome", 1, "U_CAROL", key="k")
    two = send(db, "welcome", 1, "U_CAROL", key="k")
    assert one.id == two.id
    assert db.scalars(select(TrackedMessage.recipient_id).where(TrackedMessage.subject_id == 1)).all() == ["U_CAROL"]
