"""Per-member, per-day message counts in community channels; the text is never stored.

Message events are the busiest thing copbot handles, so they are counted in batches
(`count_messages`, one transaction for all events that arrived together, see
storage.group_commit): each event once, however often Slack delivers it.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.slack.events import forget_some_events
from storage.group_commit import GroupCommit
from storage.models import ActivityCount, Community, SeenEvent


@dataclass(frozen=True)
class ChannelMessage:
    """What counting needs of one message event (never its text)."""

    event_id: str | None  # Slack's event id: the same event is counted once
    channel_id: str
    user_id: str
    sent_at: datetime
    thread_ts: str | None = None  # for a reply in a thread: the thread's parent


# A reply in a thread, for the features that count replies to their posts (questions, prompts):
# called with the session, the channel, the thread's parent ts and the reply's time.
ThreadReply = Callable[[Session, str, str, datetime], None]


class MessageCounter:
    """Counts message events as they arrive, in group commits: `count` returns once the event is
    committed (so Slack's ack means it is counted), and events arriving together share a transaction."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, on_thread_reply: ThreadReply) -> None:
        def work(session: Session, batch: list[ChannelMessage]) -> None:
            count_messages(session, batch, now=clock.now(), on_thread_reply=on_thread_reply)

        self._batches = GroupCommit(sessions, work)

    def count(self, message: ChannelMessage) -> None:
        """Count one message event; return once that is committed (raises what the transaction raised)."""
        self._batches.submit(message)


def count_messages(
    session: Session, messages: list[ChannelMessage], *, now: datetime, on_thread_reply: ThreadReply | None = None
) -> int:
    """Count a batch of message events in community channels; how many were new.

    An event already counted (a retry, a duplicate in the batch, another process got it first) is
    skipped: its id is recorded in `seen_events` in this same transaction. Four statements a batch,
    built once and run with parameters, whatever the batch's size.
    """
    statements = _statements(session.get_bind().dialect.name)
    session.flush()  # the statements below run on the connection, past the session's autoflush
    connection = session.connection()
    channels = sorted({message.channel_id for message in messages})
    community_of = {
        channel_id: community_id
        for channel_id, community_id in connection.execute(statements.live_channels, {"channels": channels})
    }
    counted = [message for message in messages if message.channel_id in community_of]
    new = _first_deliveries(connection, statements, counted, now=now)
    days: Counter[tuple[int, str, date]] = Counter(
        (community_of[message.channel_id], message.user_id, message.sent_at.date()) for message in new
    )
    _add_counts(connection, statements, days)
    if on_thread_reply is not None:
        for message in new:
            if message.thread_ts is not None:
                on_thread_reply(session, message.channel_id, message.thread_ts, message.sent_at)
    return len(new)


FORGET_EVERY = 16  # batches: expired event ids go with every 16th, twice as many as all 16 brought
_batches = itertools.count()


@dataclass(frozen=True)
class _Statements:
    live_channels: Select[str, int]
    record_seen: Any  # INSERT … ON CONFLICT DO NOTHING RETURNING event_id
    add_count: Any  # INSERT … ON CONFLICT DO UPDATE SET messages = messages + excluded.messages


@cache
def _statements(dialect: str) -> _Statements:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    seen = insert(SeenEvent)
    count = insert(ActivityCount)
    return _Statements(
        live_channels=select(Community.channel_id, Community.id).where(
            Community.channel_id.in_(bindparam("channels", expanding=True)), Community.archived_at.is_(None)
        ),
        record_seen=seen.on_conflict_do_nothing(index_elements=[SeenEvent.event_id]).returning(SeenEvent.event_id),
        add_count=count.on_conflict_do_update(
            index_elements=[ActivityCount.community_id, ActivityCount.user_id, ActivityCount.day],
            set_={"messages": ActivityCount.messages + count.excluded.messages},
        ),
    )


def _first_deliveries(
    connection: Connection, statements: _Statements, messages: list[ChannelMessage], *, now: datetime
) -> list[ChannelMessage]:
    """The messages whose event is seen for the first time, recorded as seen (ids once each)."""
    first: dict[str, ChannelMessage] = {}
    without_id: list[ChannelMessage] = []
    for message in messages:
        if message.event_id is None:
            without_id.append(message)
        else:
            first.setdefault(message.event_id, message)
    if not first:
        return without_id
    if next(_batches) % FORGET_EVERY == 0:  # the table stays an hour long, trimmed a little at a time
        forget_some_events(connection, now=now, limit=2 * FORGET_EVERY * len(first))
    # In key order, as every batch does: two batches locking the same rows never wait on each other
    # in a circle (PostgreSQL would call that a deadlock and stop one of them for a second).
    rows = [{"event_id": event_id, "seen_at": now} for event_id in sorted(first)]
    recorded = set(connection.execute(statements.record_seen, rows).scalars())
    return [message for event_id, message in first.items() if event_id in recorded] + without_id


def _add_counts(
    connection: Connection,
    statements: _Statements,
    counts: Counter[tuple[int, str, date]] | dict[tuple[int, str, date], int],
) -> None:
    """Add to each (community, member, day) count, atomically (concurrent batches all count)."""
    if counts:
        rows = [
            {"community_id": community_id, "user_id": user_id, "day": day, "messages": added}
            for (community_id, user_id, day), added in sorted(counts.items())
        ]
        connection.execute(statements.add_count, rows)
