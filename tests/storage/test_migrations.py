"""The schema migrates on SQLite and PostgreSQL, idempotently, with SQLite tuned for several processes."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from storage.migrate import current_revision, head_revision, upgrade
from storage.models import Base


def test_migrate_twice_changes_nothing_and_creates_every_table(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
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


def test_resources_from_before_search_are_found_after_upgrading(database_url: str) -> None:
    """0002 adds search to a database that already has resources (SQLite rebuilds its FTS index)."""
    from alembic import command
    from sqlalchemy import create_engine

    from storage.migrate import alembic_config
    from storage.search import search_resources

    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS resources_fts"))
    command.downgrade(alembic_config(engine), "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO communities (name, purpose, description, links, welcome_text, channel_id, created_by, created_at)"
                " VALUES ('python', 'p', '', '', '', 'C1', 'U1', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO resources (community_id, kind, title, note, shared_by, shared_at, pinned)"
                " VALUES (1, 'article', 'Old guide', '', 'U1', '2026-01-01 00:00:00', false)"
            )
        )
        connection.execute(text("INSERT INTO resource_tags (resource_id, tag) VALUES (1, 'café')"))
    upgrade(engine)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        for words in (["guide"], ["old", "cafe"]):
            found = search_resources(session, community_id=1, words=words, tags=[]).resources
            assert [r.title for r in found] == ["Old guide"], words
    engine.dispose()
