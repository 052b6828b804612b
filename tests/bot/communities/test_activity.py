"""Counting message events: each event once, in batches, whatever Slack and the threads do."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.communities.activity import FORGET_EVERY, ChannelMessage, count_messages
from bot.communities.lifecycle import archive_community
from storage.group_commit import GroupCommit
from storage.models import ActivityCount, SeenEvent
from tests.conftest import START
from tests.factories import add_community


def message(
    event_id: str | None,
    *,
    user: str = "U_BOB",
    channel: str = "C_PYTHON",
    days: int = 0,
    thread_ts: str | None = None,
) -> ChannelMessage:
    return ChannelMessage(
        event_id=event_id,
        channel_id=channel,
        user_id=user,
        sent_at=START + timedelta(days=days),
        thread_ts=thread_ts,
    )


def counts(session: Session) -> dict[tuple[str, int], int]:
    rows = session.execute(select(ActivityCount.user_id, ActivityCount.day, ActivityCount.messages))
    return {(user, (day - START.date()).days): messages for user, day, messages in rows}


def test_a_batch_counts_each_event_once_per_member_and_day(db_either: Session) -> None:
    db, engine = db_either, db_either.get_bind()
    add_community(db, now=START)
    db.commit()
    batch = [message("Ev1"), message("Ev2"), message("Ev1"), message("Ev3", user="U_CAROL"), message("Ev4", days=1)]
    assert count_messages(engine, batch, now=START) == 4
    assert count_messages(engine, [message("Ev2"), message("Ev5")], now=START) == 1, "Ev2 was counted already"
    assert count_messages(engine, [message(None), message(None)], now=START) == 2, "without an id, each counts"
    assert counts(db) == {("U_BOB", 0): 5, ("U_CAROL", 0): 1, ("U_BOB", 1): 1}


def test_only_live_community_channels_are_counted(db_either: Session) -> None:
    db, engine = db_either, db_either.get_bind()
    community = add_community(db, now=START)
    add_community(db, name="data", channel_id="C_DATA", now=START)
    archive_community(db, community, now=START)
    db.commit()
    batch = [message("Ev1"), message("Ev2", channel="C_DATA"), message("Ev3", channel="C_ELSE"), message(None)]
    assert count_messages(engine, batch, now=START) == 1
    assert counts(db) == {("U_BOB", 0): 1}
    assert db.scalars(select(SeenEvent.event_id)).all() == ["Ev2"], "ids outside community channels are not kept"


def test_thread_replies_are_handed_on_once_in_the_same_transaction(db_either: Session) -> None:
    db, engine = db_either, db_either.get_bind()
    add_community(db, now=START)
    db.commit()
    replies: list[str] = []
    failing = {"300.1"}

    def on_thread_reply(session: Session, channel_id: str, thread_ts: str, at: datetime) -> None:
        replies.append(thread_ts)
        session.add(SeenEvent(event_id=f"reply-to-{thread_ts}", seen_at=at))  # a write of its own
        if thread_ts in failing:
            raise ValueError("the reply's own write failed")

    def count(*batch: ChannelMessage) -> int:
        return count_messages(engine, list(batch), now=START, on_thread_reply=on_thread_reply)

    assert count(message("Ev1", thread_ts="100.1"), message("Ev1", thread_ts="100.1"), message("Ev2")) == 2
    assert count(message("Ev1", thread_ts="100.1")) == 0
    assert replies == ["100.1"], "a reply seen before is not handed on again"
    with pytest.raises(ValueError):
        count(message("Ev3"), message("Ev4", thread_ts="300.1"))
    assert counts(db) == {("U_BOB", 0): 2}, "nothing of a failed batch is kept"
    assert sorted(db.scalars(select(SeenEvent.event_id))) == ["Ev1", "Ev2", "reply-to-100.1"]
    db.rollback()  # the test's own reads end: on SQLite they would hold the write turn
    failing.clear()
    assert count(message("Ev3"), message("Ev4", thread_ts="300.1")) == 2, "Slack's retry of the failed batch counts"
    assert counts(db) == {("U_BOB", 0): 4}
    assert "reply-to-300.1" in db.scalars(select(SeenEvent.event_id)).all()
    db.rollback()
    replies.clear()
    assert count(message("Ev5", thread_ts="900.1"), message("Ev6", thread_ts="500.1")) == 2
    assert replies == ["500.1", "900.1"], "threads in key order, as row locks go: no deadlock between batches"


@pytest.mark.parametrize("threads", [16])
def test_concurrent_deliveries_with_duplicates_give_exact_counts(
    engine: Engine, sessions: sessionmaker[Session], threads: int
) -> None:
    with sessions.begin() as session:
        add_community(session, now=START)
    ingest = GroupCommit(lambda batch: count_messages(engine, batch, now=START) and None)
    per_thread = 50  # every event is delivered by two threads: Slack's retry racing the first delivery

    def deliver(thread: int) -> None:
        for index in range(per_thread):
            event = (thread // 2) * per_thread + index
            ingest.submit(message(f"Ev{event}", user=f"U{event % 7}"))

    workers = [threading.Thread(target=deliver, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with sessions() as session:
        assert sum(counts(session).values()) == threads // 2 * per_thread
        assert counts(session)[("U0", 0)] == len([e for e in range(threads // 2 * per_thread) if e % 7 == 0])


def test_one_bad_event_in_a_batch_does_not_lose_the_others(
    sqlite_engine: Engine, sqlite_sessions: sessionmaker[Session]
) -> None:
    with sqlite_sessions.begin() as session:
        add_community(session, now=START)
    seen: list[list[str]] = []

    def count(batch: list[ChannelMessage]) -> None:
        seen.append([m.event_id or "" for m in batch])
        if any(m.event_id == "EvBad" for m in batch):
            raise ValueError("bad event")
        count_messages(sqlite_engine, batch, now=START)

    ingest = GroupCommit(count)
    ingest._leading = True  # hold the batch back until all three are queued
    outcomes: dict[str, str] = {}

    def submit(event_id: str) -> None:
        try:
            ingest.submit(message(event_id))
            outcomes[event_id] = "counted"
        except ValueError:
            outcomes[event_id] = "refused"

    workers = [threading.Thread(target=submit, args=(e,)) for e in ("Ev1", "EvBad", "Ev2")]
    for worker in workers:
        worker.start()
    while len(ingest._queue) < 3:
        threading.Event().wait(0.001)
    with ingest._lock:
        ingest._leading = False
    ingest._queue[0].wake.set()
    for worker in workers:
        worker.join()
    assert outcomes == {"Ev1": "counted", "EvBad": "refused", "Ev2": "counted"}
    assert len(seen[0]) == 3, "tried as one batch first"
    with sqlite_sessions() as session:
        assert counts(session) == {("U_BOB", 0): 2}


def test_event_ids_are_kept_an_hour_and_forgotten_a_little_at_a_time(db_either: Session) -> None:
    from bot.slack.events import SEEN_EVENTS_KEPT, forget_old_events

    db, engine = db_either, db_either.get_bind()
    add_community(db, now=START)
    db.commit()
    count_messages(engine, [message(f"EvOld{n}") for n in range(10)], now=START)
    later = START + SEEN_EVENTS_KEPT - timedelta(minutes=1)
    assert count_messages(engine, [message("EvOld3")], now=later) == 0, "a retry within the hour changes nothing"
    much_later = START + SEEN_EVENTS_KEPT + timedelta(minutes=1)
    for n in range(FORGET_EVERY):  # one batch in so many trims what has expired, a bounded number at a time
        count_messages(engine, [message(f"EvNew{n}")], now=much_later)
    assert not [event_id for event_id in db.scalars(select(SeenEvent.event_id)) if event_id.startswith("EvOld")]
    assert len(db.scalars(select(SeenEvent.event_id)).all()) == FORGET_EVERY
    db.rollback()  # the test's reads end: on SQLite they would hold the write turn
    count_messages(engine, [message(f"EvOld{n}") for n in range(3)], now=much_later)
    assert (
        forget_old_events(db, much_later + SEEN_EVENTS_KEPT + timedelta(seconds=1))
        == f"forgot {FORGET_EVERY + 3} event ids older than an hour"
    )


def test_a_batch_waits_as_long_as_its_most_patient_event_may(
    sqlite_engine: Engine, sqlite_sessions: sessionmaker[Session]
) -> None:
    import sqlite3

    from storage.db import answer_within
    from storage.errors import DatabaseBusy

    with sqlite_sessions.begin() as session:
        add_community(session, now=START)
    ingest = GroupCommit(lambda batch: count_messages(sqlite_engine, batch, now=START) and None)
    holder = sqlite3.connect(str(sqlite_engine.url.database), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process writes for a while
    threading.Timer(0.6, lambda: holder.execute("ROLLBACK")).start()
    outcomes: dict[str, str] = {}

    def submit(event_id: str, patience: float) -> None:
        try:
            with answer_within(patience):
                ingest.submit(message(event_id))
            outcomes[event_id] = "counted"
        except DatabaseBusy:
            outcomes[event_id] = "busy"

    hasty = threading.Thread(target=submit, args=("EvHasty", 0.2))
    hasty.start()
    while not ingest._leading:
        threading.Event().wait(0.001)
    # Two more arrive while the first batch waits; the next batch is led by the one in more of a hurry.
    hurried = threading.Thread(target=submit, args=("EvHurried", 0.3))
    patient = threading.Thread(target=submit, args=("EvPatient", 5.0))
    hurried.start()
    while len(ingest._queue) < 1:
        threading.Event().wait(0.001)
    patient.start()
    for thread in (hasty, hurried, patient):
        thread.join()
    holder.close()
    assert outcomes["EvHasty"] == "busy"
    assert outcomes["EvPatient"] == "counted", "a batch waits as long as its most patient event may"
    with sqlite_sessions() as session:
        assert counts(session) == {("U_BOB", 0): 2}
