"""The schema migrates on SQLite and PostgreSQL, idempotently, with SQLite tuned for several processes."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from storage.migrate import current_revision, upgrade
from storage.models import Base


def test_migrate_twice_changes_nothing_and_creates_every_table(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == "0002"
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(sqlite_url: str) -> None:
    from storage.db import make_engine

    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    engine.dispose()
