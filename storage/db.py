"""Engine and session set-up: what reads and what writes, SQLite tuned for several processes.

The transaction design, in four rules:
- A unit of work says whether it writes. Reads (`read_sessions`) take no lock: on SQLite in WAL
  mode each read statement sees the latest committed snapshot (no `BEGIN`, so no transaction spans
  a read unit's statements) and never waits for a writer, however long another holds the lock.
  A read unit that tries to write is a programming error and raises `WriteInReadUnit`.
- Writers of one process queue in Python (`WriterQueue`: first come, first served, woken when it is
  their turn, never sleeping and polling), and only the head of the queue asks SQLite for the write
  lock (`BEGIN IMMEDIATE`). Across processes SQLite's busy handler decides.
- A write made while Slack waits for an answer (`answer_within`) waits for the lock only as long as
  that answer can wait; then it raises `DatabaseBusy` before anything was done, and the person is
  told to try again. Background work waits up to SQLITE_BUSY_TIMEOUT_MS.
- PostgreSQL needs none of this (MVCC and row locks); its pool is sized to the threads that use it.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Engine, create_engine, event, insert, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import DatabaseBusy, WriteInReadUnit
from storage.models import HealthProbe

SQLITE_BUSY_TIMEOUT_MS = 30_000
BUSY_TIMEOUT_STEP_MS = 250  # a write answering "busy" gives up at most this much sooner than it must
PG_CONNECT_TIMEOUT_SECONDS = 3
# Threads that use the database at once in one process: the HTTP server's, the delivery worker,
# the scheduler's job, the people directory's refresh; the pool holds that many, and a few more
# for bursts (`copbot shell` runs a server, a worker and the scheduler in one process).
POOL_SIZE = 12
POOL_OVERFLOW = 8
READ_ONLY = "copbot_read_only"
T = TypeVar("T")


_deadline: ContextVar[float | None] = ContextVar("copbot_write_deadline", default=None)


@contextmanager
def deadline_at(deadline: float | None) -> Iterator[None]:
    """Writes started in this block wait for the lock at most until `deadline` (a `time.monotonic()`;
    None: as background work does)."""
    token = _deadline.set(deadline)
    try:
        yield
    finally:
        _deadline.reset(token)


def answer_within(seconds: float) -> AbstractContextManager[None]:
    """Writes started in this block wait for the write lock at most until `seconds` from now."""
    return deadline_at(time.monotonic() + seconds)


def current_deadline() -> float | None:
    """The `time.monotonic()` by which this thread's answer is due (None outside `answer_within`)."""
    return _deadline.get()


def _allowed_wait() -> float:
    """Seconds a writer may wait for the lock now: what is left of the answer's time, or the default."""
    deadline = _deadline.get()
    if deadline is None:
        return SQLITE_BUSY_TIMEOUT_MS / 1000
    return max(deadline - time.monotonic(), 0.0)


class WriterQueue:
    """The writers of one process, served in arrival order: a waiter is woken when its turn comes
    (the lock is handed over, not raced for), so no writer sleeps and polls as SQLite's busy handler does."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False
        self._owner: object = None  # what holds the turn (a DBAPI connection), for release_held_by
        self._waiting: deque[threading.Event] = deque()

    def acquire(self, timeout: float, owner: object = None) -> bool:
        """Wait at most `timeout` seconds for this writer's turn; whether it came."""
        with self._guard:
            if not self._held and not self._waiting:
                self._held, self._owner = True, owner
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait(timeout)
        with self._guard:
            if turn.is_set():  # handed over (perhaps just as the wait ran out)
                self._owner = owner
                return True
            self._waiting.remove(turn)
            return False

    def release(self) -> None:
        """Hand the turn to the next writer, if one waits."""
        with self._guard:
            self._owner = None
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._held = False

    def release_held_by(self, owner: object) -> None:
        """Release the turn if `owner` holds it (commit, rollback and check-in may each end it: once)."""
        with self._guard:
            if not self._held or self._owner is not owner:
                return
        self.release()


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, a busy timeout and the writer queue."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}, **kwargs
        )
        _tune_sqlite(engine)
        _guard_read_units(engine)
        return engine
    if url.get_backend_name() == "postgresql":
        if "connect_timeout" not in url.query:
            # A server that does not answer is down: say so in seconds, not after the OS gives up.
            kwargs["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_SECONDS, **kwargs.get("connect_args", {})}
        # No ping per checkout (a round trip each time): a connection found dead is thrown away with
        # the rest of the pool, and the unit of work that found it fails once.
        kwargs = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW, "pool_pre_ping": False, **kwargs}
    engine = create_engine(url, **kwargs)
    _guard_read_units(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    writers = WriterQueue()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so BEGIN and BEGIN IMMEDIATE are ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            # No BEGIN at all: each read statement runs on the latest committed snapshot (WAL) and
            # never waits for a writer. Skipping BEGIN and COMMIT spares two calls into SQLite per
            # read, each of which gives up Python's interpreter lock and must win it back.
            return
        wait = _allowed_wait()
        raw: Any = connection.connection.dbapi_connection
        if not writers.acquire(wait, owner=raw):
            raise DatabaseBusy("this process's writers are queued longer than the answer can wait")
        try:
            _set_busy_timeout(connection, _allowed_wait())
            # IMMEDIATE takes the write lock up front: another process's writer waits for it
            # (busy timeout) instead of failing with "database is locked" halfway through. Straight
            # to the driver: every write transaction starts here, SQLAlchemy's wrapping adds nothing.
            raw.execute("BEGIN IMMEDIATE")
        except (sqlite3.OperationalError, OperationalError) as error:  # BEGIN's, the PRAGMA's
            writers.release_held_by(raw)
            if "database is locked" in str(error):
                raise DatabaseBusy("another process held the write lock longer than the answer can wait") from error
            raise

    # The turn passes on once SQLite has really committed or rolled back (SQLAlchemy's commit and
    # rollback events fire before): the next writer's BEGIN IMMEDIATE then finds the lock free,
    # instead of falling back on SQLite's sleeping busy handler.
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(pooled: Any) -> None:
        try:
            commit(pooled)
        finally:
            writers.release_held_by(pooled.dbapi_connection)

    def do_rollback(pooled: Any) -> None:
        try:
            rollback(pooled)
        finally:
            writers.release_held_by(pooled.dbapi_connection)

    setattr(dialect, "do_commit", do_commit)  # noqa: B010 - this engine's dialect only
    setattr(dialect, "do_rollback", do_rollback)  # noqa: B010

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, _record: Any) -> None:
        # A connection lost mid-transaction ends without commit or rollback: its turn must still end.
        writers.release_held_by(dbapi_connection)


def _set_busy_timeout(connection: Connection, seconds: float) -> None:
    """SQLite's busy handler waits this long for another process's writer, rounded down to a step
    (so that the PRAGMA runs when the wait really changes, not before every write)."""
    wanted = max(int(seconds * 1000) // BUSY_TIMEOUT_STEP_MS * BUSY_TIMEOUT_STEP_MS, 1)
    if connection.info.get("copbot_busy_ms", SQLITE_BUSY_TIMEOUT_MS) != wanted:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {wanted}")
        connection.info["copbot_busy_ms"] = wanted


WRITES = ("insert", "update", "delete", "replace", "create", "drop", "alter")


def _guard_read_units(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _refuse_writes_in_reads(connection: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY) and statement.lstrip()[:7].lower().startswith(WRITES):
            raise WriteInReadUnit(f"a read unit of work tried to write: {statement[:80]}")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for units of work that write; they keep loaded values after commit (handlers render after
    committing)."""
    return sessionmaker(engine, expire_on_commit=False)


def make_read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for units of work that only read: they take no lock and open no transaction (each
    statement sees the latest commit). On SQLite that spares BEGIN and COMMIT; on PostgreSQL, running
    in autocommit, it spares their two round trips."""
    options: dict[str, Any] = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "AUTOCOMMIT"
    return sessionmaker(engine.execution_options(**options), expire_on_commit=False)


PROBE_WAIT_MS = 500


class Health(StrEnum):
    """What `/healthz` found."""

    OK = "ok"  # reads and takes a write
    BUSY = "busy"  # healthy, but another writer held the lock longer than the probe waits
    UNAVAILABLE = "unavailable"  # cannot read, or cannot write (a full disk, a read-only replica)


def database_health(engine: Engine, *, process: str, now: datetime) -> Health:
    """Whether the database takes a write: this process's row in `health_probes` is written and
    committed, waiting at most PROBE_WAIT_MS for the write lock."""
    try:
        with answer_within(PROBE_WAIT_MS / 1000), engine.connect() as connection, connection.begin():
            if not is_sqlite(engine):
                connection.execute(text(f"SET LOCAL lock_timeout = '{PROBE_WAIT_MS}ms'"))
            _write_probe(connection, process=process, now=now)
    except DatabaseBusy:
        return Health.BUSY
    except IntegrityError:  # a concurrent probe of this process inserted the row: writes work
        return Health.OK
    except OperationalError as error:
        return Health.BUSY if _lock_wait(error) else Health.UNAVAILABLE
    except Exception:  # any other driver error means "not healthy"; the caller reports 503
        return Health.UNAVAILABLE
    return Health.OK


def _write_probe(connection: Connection, *, process: str, now: datetime) -> None:
    changed = connection.execute(update(HealthProbe).where(HealthProbe.process == process).values(probed_at=now))
    if rows_changed(changed) == 0:
        connection.execute(insert(HealthProbe).values(process=process, probed_at=now))


def _lock_wait(error: OperationalError) -> bool:
    """True when the error is a lock wait that ran out (SQLite `database is locked`, PostgreSQL 55P03)."""
    return "database is locked" in str(error.orig) or getattr(error.orig, "sqlstate", None) == "55P03"


def is_sqlite(engine: Engine) -> bool:
    """True for SQLite engines."""
    return engine.dialect.name == "sqlite"


def set_once(session: Session, entity: type[Any], *where: ColumnElement[bool], **values: object) -> bool:
    """Compare-and-set: update the one row `where` holds (its unset column among the conditions) and say
    whether this call did it; of concurrent calls exactly one does, on SQLite and PostgreSQL alike."""
    result = session.execute(update(entity).where(*where).values(**values).execution_options(synchronize_session=False))
    return rows_changed(result) == 1


IN_LIST_CHUNK = 10_000  # PostgreSQL takes at most 65,535 bind parameters in one statement


def chunks(values: Iterable[T], size: int = IN_LIST_CHUNK) -> Iterator[list[T]]:
    """`values` in lists of at most `size`, for `IN (…)` lists that may be long."""
    iterator = iter(values)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def rows_changed(result: object) -> int:
    """How many rows an UPDATE or DELETE changed (SQLAlchemy types `execute` as a plain Result)."""
    return int(getattr(result, "rowcount", 0))
