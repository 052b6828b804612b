"""Per-member, per-day message counts in community channels; the text is never stored.

Message events are the busiest thing copbot handles, so they are counted in batches
(`count_messages`, one transaction for all events that arrived together, see
storage.group_commit): each event once, however often Slack delivers it.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CompoundSelect, Connection, Engine, bindparam, literal, select, text, union_all
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.slack.events import forget_some_events
from storage.group_commit import GroupCommit
from storage.models import ActivityCount, Community, SeenEvent
from storage.types import UTCDateTime


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

    def __init__(self, engine: Engine, clock: Clock, on_thread_reply: ThreadReply) -> None:
        def commit(batch: list[ChannelMessage]) -> None:
            count_messages(engine, batch, now=clock.now(), on_thread_reply=on_thread_reply)

        self._batches = GroupCommit(commit)

    def count(self, message: ChannelMessage) -> None:
        """Count one message event; return once that is committed (raises what the transaction raised)."""
        self._batches.submit(message)


def count_messages(
    engine: Engine, messages: list[ChannelMessage], *, now: datetime, on_thread_reply: ThreadReply | None = None
) -> int:
    """Count a batch of message events in community channels, in one transaction; how many were new.

    An event already counted (a retry, a duplicate in the batch, another process got it first) is
    skipped: its id is recorded in `seen_events` in the same transaction. The statements are few and
    fixed whatever the batch's size, each one call into the driver: every call lets another thread
    take Python's interpreter lock, and winning it back is what a busy server waits for most. So on
    PostgreSQL the batch is one statement; on SQLite (no writes inside WITH) three. Core, not the
    ORM: a Session would cost more than the statements.
    """
    batch = _once_each(messages)
    replies = on_thread_reply is not None and any(message.thread_ts is not None for message in batch)
    forget = next(_batches) % FORGET_EVERY == 0  # the table stays an hour long, trimmed a little at a time
    postgresql = engine.dialect.name == "postgresql"
    if postgresql and not replies:
        # The one statement is atomic, and durable once it returns: no BEGIN and COMMIT round trips.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if forget:
                forget_some_events(connection, now=now, limit=2 * FORGET_EVERY * len(batch))
            return len(_count_on_postgresql(connection, batch, now=now))
    with engine.begin() as connection:
        if forget:
            forget_some_events(connection, now=now, limit=2 * FORGET_EVERY * len(batch))
        new = (_count_on_postgresql if postgresql else _count_on_sqlite)(connection, batch, now=now)
        if replies and on_thread_reply is not None:
            # In thread order, as row locks go (see _once_each): batches replying to the same
            # questions and prompts lock them in the same order.
            threaded = sorted((m.channel_id, m.thread_ts, m.sent_at) for m in new if m.thread_ts is not None)
            with Session(bind=connection) as session:  # joins this transaction
                for channel_id, thread_ts, sent_at in threaded:
                    on_thread_reply(session, channel_id, thread_ts, sent_at)
                session.flush()
    return len(new)


FORGET_EVERY = 16  # batches: expired event ids go with every 16th, twice as many as all 16 brought
_batches = itertools.count()


def _once_each(messages: list[ChannelMessage]) -> list[ChannelMessage]:
    """The batch with each event id once, in id order (messages without an id last).

    Every batch takes its row locks in key order: two batches locking the same rows never wait on
    each other in a circle (PostgreSQL would call that a deadlock and stop one of them for a second).
    """
    first: dict[str, ChannelMessage] = {}
    without_id: list[ChannelMessage] = []
    for message in messages:
        if message.event_id is None:
            without_id.append(message)
        else:
            first.setdefault(message.event_id, message)
    return [first[event_id] for event_id in sorted(first)] + without_id


_COMMUNITIES, _SEEN, _COUNTS = Community.__tablename__, SeenEvent.__tablename__, ActivityCount.__tablename__

# PostgreSQL: the batch comes as four arrays, an element a message. A message counts when its
# channel is a live community's and its id is new (or it has none); back come the ids recorded
# (with no channel) and the live channels (with no id).
_POSTGRESQL_BATCH = text(f"""
WITH batch AS (
    SELECT batch.event_id, batch.channel_id, batch.user_id, batch.day, {_COMMUNITIES}.id AS community_id
    FROM unnest(CAST(:event_ids AS varchar[]), CAST(:channels AS varchar[]), CAST(:users AS varchar[]),
                CAST(:days AS date[])) AS batch (event_id, channel_id, user_id, day)
    JOIN {_COMMUNITIES} ON {_COMMUNITIES}.channel_id = batch.channel_id AND {_COMMUNITIES}.archived_at IS NULL
), recorded AS (
    INSERT INTO {_SEEN} (event_id, seen_at)
    SELECT event_id, :now FROM batch WHERE event_id IS NOT NULL ORDER BY event_id
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id
), counted AS (
    INSERT INTO {_COUNTS} (community_id, user_id, day, messages)
    SELECT community_id, user_id, day, count(*) FROM batch
    WHERE event_id IS NULL OR event_id IN (SELECT event_id FROM recorded)
    GROUP BY community_id, user_id, day
    ORDER BY community_id, user_id, day
    ON CONFLICT (community_id, user_id, day) DO UPDATE SET messages = {_COUNTS}.messages + excluded.messages
)
SELECT event_id, NULL AS channel_id FROM recorded
UNION ALL
SELECT DISTINCT NULL, channel_id FROM batch
""").bindparams(bindparam("now", type_=UTCDateTime()))


def _count_on_postgresql(
    connection: Connection, messages: list[ChannelMessage], *, now: datetime
) -> list[ChannelMessage]:
    """The messages counted for the first time: looked up, recorded and added in one statement."""
    if not messages:
        return []
    parameters = {
        "event_ids": [message.event_id for message in messages],
        "channels": [message.channel_id for message in messages],
        "users": [message.user_id for message in messages],
        "days": [message.sent_at.date() for message in messages],
        "now": now,
    }
    recorded: set[str] = set()
    live: set[str] = set()
    for event_id, channel_id in connection.execute(_POSTGRESQL_BATCH, parameters):
        if channel_id is None:
            recorded.add(event_id)
        else:
            live.add(channel_id)
    return [
        message
        for message in messages
        if message.channel_id in live and (message.event_id is None or message.event_id in recorded)
    ]


# SQLite: in one look, the channels that are live communities' (with the community) and the ids
# seen before (with none); then the new ids and the counts, each one statement over a JSON array
# (one call into the driver however many rows).
_SQLITE_LOOK_UP: CompoundSelect[str, int | None] = union_all(
    select(Community.channel_id, Community.id).where(
        Community.channel_id.in_(bindparam("channels", expanding=True)), Community.archived_at.is_(None)
    ),
    select(SeenEvent.event_id, literal(None)).where(SeenEvent.event_id.in_(bindparam("event_ids", expanding=True))),
)
_SQLITE_RECORD_SEEN = text(
    f"INSERT INTO {_SEEN} (event_id, seen_at) SELECT value, :now FROM json_each(:event_ids)"
).bindparams(bindparam("now", type_=UTCDateTime()))
_SQLITE_ADD_COUNTS = text(f"""
INSERT INTO {_COUNTS} (community_id, user_id, day, messages)
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
       json_extract(value, '$[3]')
FROM json_each(:counts) WHERE true
ON CONFLICT (community_id, user_id, day) DO UPDATE SET messages = {_COUNTS}.messages + excluded.messages
""")


def _count_on_sqlite(connection: Connection, messages: list[ChannelMessage], *, now: datetime) -> list[ChannelMessage]:
    """The messages counted for the first time. Looking before writing is safe here: the transaction
    holds SQLite's write lock from its BEGIN IMMEDIATE, so no one records an id in between."""
    if not messages:
        return []
    ids = [message.event_id for message in messages if message.event_id is not None]
    community_of: dict[str, int] = {}
    seen: set[str] = set()
    channels = sorted({message.channel_id for message in messages})
    for key, community_id in connection.execute(_SQLITE_LOOK_UP, {"channels": channels, "event_ids": ids}):
        if community_id is None:
            seen.add(key)
        else:
            community_of[key] = community_id
    new = [
        message
        for message in messages
        if message.channel_id in community_of and (message.event_id is None or message.event_id not in seen)
    ]
    recorded = [message.event_id for message in new if message.event_id is not None]
    if recorded:
        connection.execute(_SQLITE_RECORD_SEEN, {"event_ids": json.dumps(recorded), "now": now})
    days = Counter((community_of[message.channel_id], message.user_id, message.sent_at.date()) for message in new)
    if days:
        counts = [
            [community_id, user_id, day.isoformat(), added]
            for (community_id, user_id, day), added in sorted(days.items())
        ]
        connection.execute(_SQLITE_ADD_COUNTS, {"counts": json.dumps(counts)})
    return new
