"""Questions asked of a community: posted in its channel, replies counted, open until marked answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.communities.lifecycle import Refused
from bot.delivery.outbox import post_message, update_message
from bot.knowledge.blocks import build_question
from bot.slack.markup import escape
from storage.db import set_once
from storage.models import Community, OutboxMessage, Question

MAX_QUESTION = 2000


@dataclass(frozen=True)
class AnswerResult:
    """Whether this click marked the question answered, and by whom it is marked."""

    marked: bool
    answered_by: str
    question: Question


def ask_question(session: Session, community: Community, *, user_id: str, text: str, now: datetime) -> Question:
    """Post a question in the community channel and track it until answered."""
    text = text.strip()
    if not text:
        raise Refused("What would you like to ask?")
    if len(text) > MAX_QUESTION:
        raise Refused(f"Keep the question under {MAX_QUESTION} characters; details can go in the thread.")
    question = Question(community_id=community.id, asked_by=user_id, text=text, asked_at=now, reply_count=0)
    session.add(question)
    session.flush()
    message = post_message(
        session,
        channel=community.channel_id,
        text=f"<@{user_id}> asks {escape(community.name)}: {escape(text)}",
        blocks=build_question(question, community_name=community.name),
        kind="question",
        now=now,
        on_behalf_of=user_id,
        describes=f"your question in <#{community.channel_id}>",
    )
    session.flush()
    question.outbox_id = message.id
    question.channel_id = community.channel_id
    return question


def question_by_id(session: Session, question_id: int) -> Question | None:
    """The question with that id."""
    return session.get(Question, question_id)


def mark_answered(session: Session, question: Question, *, by: str, now: datetime) -> AnswerResult:
    """Mark answered once; the channel post is updated to say so."""
    marked = set_once(
        session, Question, Question.id == question.id, Question.answered_at.is_(None), answered_at=now, answered_by=by
    )
    session.refresh(question)
    if marked and question.outbox_id is not None:
        original = session.get(OutboxMessage, question.outbox_id)
        community = session.get(Community, question.community_id)
        assert original is not None and community is not None
        update_message(
            session,
            original=original,
            text=f"Answered: {escape(question.text)}",
            blocks=build_question(question, community_name=community.name),
            kind="question_update",
            now=now,
        )
    assert question.answered_by is not None
    return AnswerResult(marked=marked, answered_by=question.answered_by, question=question)


def count_thread_reply(session: Session, *, channel_id: str, thread_ts: str, at: datetime) -> bool:
    """Count a reply in a question's thread (the first one's time is kept); False when the thread is not a question's."""
    question_id = session.scalar(
        select(Question.id)
        .join(OutboxMessage, OutboxMessage.id == Question.outbox_id)
        .where(OutboxMessage.result_channel == channel_id, OutboxMessage.result_ts == thread_ts)
    )
    if question_id is None:
        return False
    session.execute(
        update(Question)
        .where(Question.id == question_id)
        .values(
            reply_count=Question.reply_count + 1,
            message_ts=thread_ts,
            first_reply_at=func.coalesce(Question.first_reply_at, at),
        )
        .execution_options(synchronize_session=False)
    )
    return True


def open_questions(session: Session, community: Community, *, older_than: datetime | None = None) -> list[Question]:
    """Questions not yet answered (optionally asked before a moment), oldest first."""
    query = select(Question).where(Question.community_id == community.id, Question.answered_at.is_(None))
    if older_than is not None:
        query = query.where(Question.asked_at < older_than)
    return list(session.scalars(query.order_by(Question.asked_at)))
