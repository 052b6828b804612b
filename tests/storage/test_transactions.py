"""What reads and what writes: reads never wait for a writer, writers queue in order, and a write
that cannot start before Slack stops waiting says so before doing anything."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import (
    WriterQueue,
    answer_within,
    make_read_session_factory,
    make_session_factory,
)
from storage.errors import DatabaseBusy, WriteInReadUnit
from storage.models import HealthProbe
from tests.conftest import START


@pytest.fixture
def other_process_holds_the_write_lock(sqlite_engine: Engine) -> Iterator[None]:
    holder = sqlite3.connect(str(sqlite_engine.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield
    holder.execute("ROLLBACK")
    holder.close()


def probes(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(HealthProbe)) or 0)


def write_probe(session: Session, name: str) -> None:
    session.execute(insert(HealthProbe).values(process=name, probed_at=START))


@pytest.mark.usefixtures("other_process_holds_the_write_lock")
def test_a_read_does_not_wait_for_another_processs_writer(sqlite_engine: Engine) -> None:
    reads = make_read_session_factory(sqlite_engine)
    with answer_within(0.0), reads() as session, session.begin():  # no time at all to wait: it need not
        assert session.scalar(select(func.count()).select_from(HealthProbe)) == 0


@pytest.mark.usefixtures("other_process_holds_the_write_lock")
def test_a_write_that_cannot_start_in_time_says_busy_and_does_nothing(sqlite_engine: Engine) -> None:
    writes = make_session_factory(sqlite_engine)
    with pytest.raises(DatabaseBusy), answer_within(0.2), writes() as session, session.begin():
        write_probe(session, "never")
    assert probes(make_read_session_factory(sqlite_engine)) == 0


def test_a_write_in_a_unit_declared_as_a_read_is_refused(engine: Engine) -> None:
    reads = make_read_session_factory(engine)
    with pytest.raises(WriteInReadUnit), reads() as session, session.begin():
        write_probe(session, "sneaky")
    assert probes(make_read_session_factory(engine)) == 0


def test_writers_of_one_process_all_get_through_in_one_queue(sqlite_engine: Engine) -> None:
    writes = make_session_factory(sqlite_engine)

    def write_many(thread: int) -> None:
        for index in range(25):
            with writes() as session, session.begin():
                write_probe(session, f"{thread}:{index}")

    threads = [threading.Thread(target=write_many, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert probes(make_read_session_factory(sqlite_engine)) == 200


def test_the_writer_queue_serves_writers_in_arrival_order() -> None:
    queue = WriterQueue()
    assert queue.acquire(timeout=1)
    served: list[int] = []
    threads = []

    def writer(number: int) -> None:
        assert queue.acquire(timeout=5)
        served.append(number)
        queue.release()

    for number in range(5):
        thread = threading.Thread(target=writer, args=(number,))
        thread.start()
        threads.append(thread)
        while len(queue._waiting) < number + 1:  # wait until this writer is queued before the next comes
            threading.Event().wait(0.001)
    queue.release()
    for thread in threads:
        thread.join()
    assert served == [0, 1, 2, 3, 4]


def test_a_writer_that_gives_up_leaves_the_queue() -> None:
    queue = WriterQueue()
    assert queue.acquire(timeout=1)
    assert not queue.acquire(timeout=0.05)
    queue.release()
    assert queue.acquire(timeout=0.05), "the lock is free, not handed to the writer who left"


def test_only_the_holder_ends_its_turn_and_only_once() -> None:
    queue = WriterQueue()
    mine, other = object(), object()
    assert queue.acquire(timeout=1, owner=mine)
    queue.release_held_by(other)  # a connection checked in that never wrote
    assert not queue.acquire(timeout=0.05, owner=other), "still mine"
    queue.release_held_by(mine)  # the commit
    assert queue.acquire(timeout=0.05, owner=other)
    queue.release_held_by(mine)  # the check-in of the connection that committed: nothing to end
    assert not queue.acquire(timeout=0.05), "the other writer's turn goes on"
