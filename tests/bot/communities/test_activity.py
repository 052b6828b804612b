"""Counting message events: each event once, in batches, whatever Slack and the threads do."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.communities.activity import FORGET_EVERY, ChannelMessage, count_messages
from bot.communities.lifecycle import archive_community
from storage.group_commit import GroupCommit
from storage.models import ActivityCount
from tests.conftest import START
from tests.factories import add_community


def message(event_id: str | None, *, user: str = "U_BOB", channel: str = "C_PYTHON", days: int = 0) -> ChannelMessage:
    return ChannelMessage(event_id=event_id, channel_id=channel, user_id=user, sent_at=START + timedelta(days=days))


def counts(session: Session) -> dict[tuple[str, int], int]:
    rows = session.execute(select(ActivityCount.user_id, ActivityCount.day, ActivityCount.messages))
    return {(user, (day - START.date()).days): messages for user, day, messages in rows}


def test_a_batch_counts_each_event_once_per_member_and_day(db: Session) -> None:
    add_community(db, now=START)
    batch = [message("Ev1"), message("Ev2"), message("Ev1"), message("Ev3", user="U_CAROL"), message("Ev4", days=1)]
    assert count_messages(db, batch, now=START) == 4
    assert count_messages(db, [message("Ev2"), message("Ev5")], now=START) == 1, "Ev2 was counted already"
    assert counts(db) == {("U_BOB", 0): 3, ("U_CAROL", 0): 1, ("U_BOB", 1): 1}


def test_only_live_community_channels_are_counted(db: Session) -> None:
    community = add_community(db, now=START)
    add_community(db, name="data", channel_id="C_DATA", now=START)
    archive_community(db, community, now=START)
    assert (
        count_messages(
            db, [message("Ev1"), message("Ev2", channel="C_DATA"), message("Ev3", channel="C_ELSE")], now=START
        )
        == 1
    )
    assert counts(db) == {("U_BOB", 0): 1}


@pytest.mark.parametrize("threads", [16])
def test_concurrent_deliveries_with_duplicates_give_exact_counts(sessions: sessionmaker[Session], threads: int) -> None:
    with sessions.begin() as session:
        add_community(session, now=START)
    ingest = GroupCommit(sessions, lambda session, batch: count_messages(session, batch, now=START) and None)
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


def test_one_bad_event_in_a_batch_does_not_lose_the_others(sqlite_sessions: sessionmaker[Session]) -> None:
    with sqlite_sessions.begin() as session:
        add_community(session, now=START)
    seen: list[list[str]] = []

    def count(session: Session, batch: list[ChannelMessage]) -> None:
        seen.append([m.event_id or "" for m in batch])
        if any(m.event_id == "EvBad" for m in batch):
            raise ValueError("bad event")
        count_messages(session, batch, now=START)

    ingest = GroupCommit(sqlite_sessions, count)
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


def test_event_ids_are_kept_an_hour_and_forgotten_a_little_at_a_time(db: Session) -> None:
    from bot.slack.events import SEEN_EVENTS_KEPT, forget_old_events
    from storage.models import SeenEvent

    add_community(db, now=START)
    count_messages(db, [message(f"EvOld{n}") for n in range(10)], now=START)
    later = START + SEEN_EVENTS_KEPT - timedelta(minutes=1)
    assert count_messages(db, [message("EvOld3")], now=later) == 0, "a retry within the hour changes nothing"
    much_later = START + SEEN_EVENTS_KEPT + timedelta(minutes=1)
    for n in range(FORGET_EVERY):  # one batch in so many trims what has expired, a bounded number at a time
        count_messages(db, [message(f"EvNew{n}")], now=much_later)
    assert not [event_id for event_id in db.scalars(select(SeenEvent.event_id)) if event_id.startswith("EvOld")]
    assert len(db.scalars(select(SeenEvent.event_id)).all()) == FORGET_EVERY
    count_messages(db, [message(f"EvOld{n}") for n in range(3)], now=much_later)
    assert (
        forget_old_events(db, much_later + SEEN_EVENTS_KEPT + timedelta(seconds=1))
        == f"forgot {FORGET_EVERY + 3} event ids older than an hour"
    )


def test_a_batch_waits_as_long_as_its_most_patient_event_may(sqlite_sessions: sessionmaker[Session]) -> None:
    import sqlite3

    from storage.db import answer_within
    from storage.errors import DatabaseBusy

    with sqlite_sessions.begin() as session:
        add_community(session, now=START)
    ingest = GroupCommit(sqlite_sessions, lambda session, batch: count_messages(session, batch, now=START) and None)
    holder = sqlite3.connect(
        str(sqlite_sessions.kw["bind"].url.database), isolation_level=None, check_same_thread=False
    )
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
