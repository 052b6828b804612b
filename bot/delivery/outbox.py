"""Queueing Slack messages that must arrive, in the same transaction as their cause."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session, aliased

from bot.slack.limits import fit_payload
from storage.db import rows_changed
from storage.models import DiscussionPrompt, OutboxMessage, OutboxStatus, Question, TrackedMessage

DIRTY_FLAG = "copbot.outbox_dirty"
WORKING_HOURS_LANE = "~working-hours"
REPLY_LANE = "~reply"
RESPONSE_URL = "response_url"  # not a Web API method: a POST to the response_url Slack gave with a click


def enqueue(
    session: Session,
    *,
    method: str = "chat.postMessage",
    channel: str,
    payload: dict[str, Any],
    kind: str,
    now: datetime,
    dedupe_key: str | None = None,
    depends_on: OutboxMessage | None = None,
    working_hours_zone: str | None = None,
    on_behalf_of: str | None = None,
    describes: str | None = None,
    supersedes_pending: bool = False,
) -> OutboxMessage:
    """Add a Web API call to the outbox; it is made after the session commits, cut to Slack's limits.

    `channel` orders and paces delivery (one lane per channel or user); chat.*
    calls also get it as their `channel` argument.

    With `dedupe_key`, a second enqueue of the same key returns the first message
    instead of adding another, so a job re-run never sends twice.

    With `working_hours_zone`, a DM waits for the recipient's working hours (their Slack
    time zone, or this zone when Slack gives none) in a lane of its own, so it never
    holds up other messages to the same person.

    With `on_behalf_of`, the message carries out someone's action (`describes` says what, to
    them: "your question in <#C1>"); if Slack refuses it for good, they are told.

    With `supersedes_pending`, calls of the same method in the same lane not made yet are
    withdrawn: only the newest is worth making (an App Home opened 200 times publishes once).
    """
    lane = f"{channel}{WORKING_HOURS_LANE}" if working_hours_zone else channel
    if supersedes_pending:
        waiting = session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.channel == lane,
                OutboxMessage.method == method,
                OutboxMessage.status == OutboxStatus.PENDING.value,
            )
        ).all()
        withdraw(session, list(waiting))
    if dedupe_key is not None:
        existing = session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    message = OutboxMessage(
        method=method,
        channel=lane,
        payload=fit_payload(method, {"channel": channel, **payload} if method.startswith("chat.") else dict(payload)),
        kind=kind,
        dedupe_key=dedupe_key,
        status=OutboxStatus.PENDING.value,
        attempts=0,
        uncertain=False,
        created_at=now,
        next_attempt_at=now,
        working_hours_zone=working_hours_zone,
        on_behalf_of=on_behalf_of,
        describes=describes,
    )
    if depends_on is not None:
        session.flush()
        message.depends_on_id = depends_on.id
    session.add(message)
    session.info[DIRTY_FLAG] = True
    return message


def post_message(
    session: Session,
    *,
    channel: str,
    text: str,
    kind: str,
    now: datetime,
    blocks: list[dict[str, Any]] | None = None,
    dedupe_key: str | None = None,
    thread_ts: str | None = None,
    working_hours_zone: str | None = None,
    on_behalf_of: str | None = None,
    describes: str | None = None,
) -> OutboxMessage:
    """Queue a chat.postMessage; `channel` may be a user id for a DM (see `enqueue` for the rest)."""
    payload: dict[str, Any] = {"text": text}
    if blocks is not None:
        payload["blocks"] = blocks
    if thread_ts is not None:
        payload["thread_ts"] = thread_ts
    return enqueue(
        session,
        channel=channel,
        payload=payload,
        kind=kind,
        now=now,
        dedupe_key=dedupe_key,
        working_hours_zone=working_hours_zone,
        on_behalf_of=on_behalf_of,
        describes=describes,
    )


def reply_privately(
    session: Session,
    *,
    user_id: str,
    response_url: str | None,
    text: str,
    kind: str,
    now: datetime,
    blocks: list[dict[str, Any]] | None = None,
) -> OutboxMessage:
    """Queue an answer only `user_id` sees: ephemeral through the click's response_url, else a DM.

    Queued rather than sent from the listener, so a slow Slack never holds up the ack. A
    response_url answer cannot be looked up afterwards: after an attempt that may have
    arrived it is sent again (a private note twice beats none).
    """
    if not response_url:
        return post_message(session, channel=user_id, text=text, blocks=blocks, kind=kind, now=now)
    message: dict[str, Any] = {"text": text, "response_type": "ephemeral", "replace_original": False}
    if blocks is not None:
        message["blocks"] = blocks
    return enqueue(
        session,
        method=RESPONSE_URL,
        channel=f"{user_id}{REPLY_LANE}",
        payload={"url": response_url, "message": message},
        kind=kind,
        now=now,
    )


def update_message(
    session: Session,
    *,
    original: OutboxMessage,
    text: str,
    kind: str,
    now: datetime,
    blocks: list[dict[str, Any]] | None = None,
) -> OutboxMessage:
    """Queue a chat.update of a message sent (or still to be sent) through the outbox."""
    payload: dict[str, Any] = {"text": text}
    if blocks is not None:
        payload["blocks"] = blocks
    return enqueue(
        session,
        method="chat.update",
        channel=original.channel,
        payload=payload,
        kind=kind,
        now=now,
        depends_on=original,
    )


def withdraw(session: Session, message_ids: list[int]) -> int:
    """Take back messages not sent yet (never one that may already have reached Slack); how many."""
    if not message_ids:
        return 0
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(message_ids),
            OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.uncertain.is_(False),
        )
        .values(status=OutboxStatus.WITHDRAWN.value, last_error="withdrawn before it was sent")
        .execution_options(synchronize_session=False)
    )
    return rows_changed(result)


KEPT_AFTER_FINISHING = timedelta(days=14)
PRUNE_CHUNK = 1000
PRUNE_PER_RUN = 20_000  # a night's housekeeping stays short; a backlog goes over several nights


def prune_finished(session: Session, *, now: datetime) -> int:
    """Delete messages finished (sent, failed, withdrawn) over two weeks ago that nothing may update any
    more: no question, prompt, tracked message or later update refers to them. At most PRUNE_PER_RUN
    a run, in chunks; how many went.

    A message with a dedupe key stays: its row is what keeps a once-only message once (a newcomer's
    workspace greeting, a welcome DM per membership), however late the event that would repeat it.
    """
    finished = [OutboxStatus.SENT.value, OutboxStatus.FAILED.value, OutboxStatus.WITHDRAWN.value]
    later_update = aliased(OutboxMessage)
    prunable = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status.in_(finished),
            OutboxMessage.created_at < now - KEPT_AFTER_FINISHING,
            OutboxMessage.dedupe_key.is_(None),
            ~exists().where(Question.outbox_id == OutboxMessage.id),
            ~exists().where(DiscussionPrompt.outbox_id == OutboxMessage.id),
            ~exists().where(TrackedMessage.outbox_id == OutboxMessage.id),
            ~exists().where(later_update.depends_on_id == OutboxMessage.id),
        )
        .order_by(OutboxMessage.id)
        .limit(PRUNE_CHUNK)
    )
    pruned = 0
    while pruned < PRUNE_PER_RUN and (ids := list(session.scalars(prunable))):
        pruned += rows_changed(session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids))))
    return pruned
