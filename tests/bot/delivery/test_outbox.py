"""The outbox keeps what something may still update, and lets the rest go after two weeks."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.delivery.jobs import run_housekeeping
from bot.delivery.outbox import KEPT_AFTER_FINISHING, post_message, prune_finished, update_message
from bot.delivery.tracked import Rendering, send_tracked
from schedules.spec import Occasion
from storage.models import OutboxMessage, OutboxStatus, Question
from tests.conftest import START
from tests.factories import add_community


def sent(
    db: Session, text: str, *, status: OutboxStatus = OutboxStatus.SENT, dedupe_key: str | None = None
) -> OutboxMessage:
    message = post_message(db, channel="U_BOB", text=text, kind="test", now=START, dedupe_key=dedupe_key)
    message.status = status.value
    db.flush()
    return message


def texts(db: Session) -> list[str]:
    payloads = db.scalars(select(OutboxMessage.payload).order_by(OutboxMessage.id))
    return [str(payload["text"]) for payload in payloads if "text" in payload]


def test_finished_messages_nothing_refers_to_go_after_two_weeks(db: Session) -> None:
    sent(db, "plain DM")
    sent(db, "refused DM", status=OutboxStatus.FAILED)
    sent(db, "taken back", status=OutboxStatus.WITHDRAWN)
    sent(db, "still waiting", status=OutboxStatus.PENDING)
    question_post = sent(db, "a question's post")
    community = add_community(db, now=START)
    db.add(
        Question(
            community_id=community.id,
            asked_by="U_BOB",
            text="?",
            asked_at=START,
            reply_count=0,
            outbox_id=question_post.id,
        )
    )
    tracked = send_tracked(
        db,
        topic="welcome",
        subject_id=1,
        recipient="U_CAROL",
        rendering=Rendering(text="an alert"),
        kind="t",
        now=START,
    )
    tracked.status = OutboxStatus.SENT.value
    edited = sent(db, "edited later")
    update_message(db, original=edited, text="the edit", kind="test", now=START)
    db.flush()
    assert prune_finished(db, now=START + KEPT_AFTER_FINISHING - timedelta(minutes=1)) == 0, "too recent"
    assert prune_finished(db, now=START + KEPT_AFTER_FINISHING + timedelta(minutes=1)) == 3
    assert texts(db) == ["still waiting", "a question's post", "an alert", "edited later", "the edit"]


def test_housekeeping_prunes_the_outbox(db: Session) -> None:
    sent(db, "old")
    later = START + timedelta(days=30)
    summary = run_housekeeping(db, Occasion(period="x", due_at=later, now=later))
    assert "pruned 1 delivered messages" in summary
    assert texts(db) == []


def test_a_once_only_message_stays_so_a_late_repeat_is_still_refused(db: Session) -> None:
    sent(db, "Welcome to the workspace!", dedupe_key="workspace-greeting:U_BOB")
    later = START + KEPT_AFTER_FINISHING + timedelta(days=30)
    assert prune_finished(db, now=later) == 0
    post_message(
        db, channel="U_BOB", text="Welcome again?", kind="test", now=later, dedupe_key="workspace-greeting:U_BOB"
    )
    db.flush()
    assert texts(db) == ["Welcome to the workspace!"]
