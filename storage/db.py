"""Engine and session set-up: SQLite tuned for several processes, PostgreSQL as is."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Engine, create_engine, event, insert, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import HealthProbe

SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_SECONDS = 3
T = TypeVar("T")


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}, **kwargs
        )
        _tune_sqlite(engine)
        return engine
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        # A server that does not answer is down: say so in seconds, not after the OS gives up.
        kwargs["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_SECONDS, **kwargs.get("connect_args", {})}
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so BEGIN IMMEDIATE can be issued below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two processes wait (busy timeout)
        # instead of failing with "database is locked" when a read turns into a write.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (handlers render after committing)."""
    return sessionmaker(engine, expire_on_commit=False)


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
        with engine.connect() as connection:
            raw = connection.connection.driver_connection
            if is_sqlite(engine):
                raw.execute(f"PRAGMA busy_timeout = {PROBE_WAIT_MS}")  # type: ignore[union-attr]
            try:
                with connection.begin():
                    if not is_sqlite(engine):
                        connection.execute(text(f"SET LOCAL lock_timeout = '{PROBE_WAIT_MS}ms'"))
                    _write_probe(connection, process=process, now=now)
            finally:
                if is_sqlite(engine):
                    raw.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")  # type: ignore[union-attr]
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
