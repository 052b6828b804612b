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


def test_tracked_messages_take_over_welcome_alert_and_review_messages_with_their_rows(database_url: str) -> None:
    """0003 moves both old tables' rows into tracked_messages; downgrading moves them back."""
    from alembic import command
    from sqlalchemy import create_engine

    from storage.migrate import alembic_config

    engine = create_engine(database_url)
    command.downgrade(alembic_config(engine), "0002")
    assert "tracked_messages" not in inspect(engine).get_table_names()
    with engine.begin() as connection:
        run = connection.execute
        run(
            text(
                "INSERT INTO communities (id, name, purpose, description, links, welcome_text, channel_id, created_by, created_at)"
                " VALUES (1, 'python', 'p', '', '', '', 'C1', 'U1', '2026-01-01 00:00:00')"
            )
        )
        run(
            text(
                "INSERT INTO memberships (id, community_id, user_id, joined_at, source) VALUES (1, 1, 'U2', '2026-01-01 00:00:00', 'x')"
            )
        )
        run(
            text(
                "INSERT INTO welcome_alerts (id, membership_id, community_id, newcomer_id, created_at) VALUES (7, 1, 1, 'U2', '2026-01-01 00:00:00')"
            )
        )
        run(
            text(
                "INSERT INTO resources (id, community_id, kind, title, note, shared_by, shared_at, pinned, search_text)"
                " VALUES (9, 1, 'article', 'Guide', '', 'U2', '2026-01-01 00:00:00', false, 'guide')"
            )
        )
        for outbox_id in (1, 2, 3):
            run(
                text(
                    "INSERT INTO outbox (id, method, payload, channel, kind, status, attempts, uncertain, created_at, next_attempt_at)"
                    " VALUES (:id, 'chat.postMessage', '{}', 'U3', 'x', 'sent', 1, false, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                ),
                {"id": outbox_id},
            )
        run(
            text(
                "INSERT INTO welcome_alert_messages (alert_id, recipient_id, outbox_id) VALUES (7, 'U3', 1), (7, 'U4', 2)"
            )
        )
        run(text("INSERT INTO resource_review_messages (resource_id, recipient_id, outbox_id) VALUES (9, 'U5', 3)"))
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert "welcome_alert_messages" not in tables and "resource_review_messages" not in tables
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT topic, subject_id, recipient_id, outbox_id FROM tracked_messages ORDER BY outbox_id")
        ).all()
    assert [tuple(row) for row in rows] == [
        ("welcome", 7, "U3", 1),
        ("welcome", 7, "U4", 2),
        ("resource_review", 9, "U5", 3),
    ]
    command.downgrade(alembic_config(engine), "0002")
    with engine.connect() as connection:
        welcome = connection.execute(
            text("SELECT alert_id, recipient_id, outbox_id FROM welcome_alert_messages ORDER BY id")
        ).all()
        review = connection.execute(
            text("SELECT resource_id, recipient_id, outbox_id FROM resource_review_messages")
        ).all()
    assert [tuple(row) for row in welcome] == [(7, "U3", 1), (7, "U4", 2)]
    assert [tuple(row) for row in review] == [(9, "U5", 3)]
    assert "tracked_messages" not in set(inspect(engine).get_table_names())
    upgrade(engine)
    engine.dispose()


def test_a_channel_with_two_live_communities_keeps_the_older_when_upgrading(database_url: str) -> None:
    """0005 makes one live community per channel a constraint; a pair from before it is resolved, data kept."""
    from alembic import command
    from sqlalchemy import create_engine

    from storage.migrate import alembic_config

    engine = create_engine(database_url)
    command.downgrade(alembic_config(engine), "0004")
    with engine.begin() as connection:
        for community_id, name in ((1, "first"), (2, "second"), (3, "elsewhere")):
            connection.execute(
                text(
                    "INSERT INTO communities (id, name, purpose, description, links, welcome_text, channel_id, created_by, created_at)"
                    " VALUES (:id, :name, 'p', '', '', '', :channel, 'U1', '2026-01-01 00:00:00')"
                ),
                {"id": community_id, "name": name, "channel": "C2" if community_id == 3 else "C1"},
            )
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT name, archived_at IS NULL FROM communities ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [("first", True), ("second", False), ("elsewhere", True)]
    command.downgrade(alembic_config(engine), "0004")
    upgrade(engine)
    engine.dispose()


def test_the_migrations_build_exactly_the_schema_the_models_describe(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # Full-text search lives outside the models: SQLite's FTS5 tables, PostgreSQL's tsvector index.
    ignored = ("resources_fts", "ix_resources_search")
    real = [d for d in differences if not any(name in repr(d) for name in ignored)]
    assert real == []


def test_links_shared_before_0007_compare_as_the_same_page(database_url: str) -> None:
    """0007 recomputes url_normalized: http and https and the host's case no longer tell links apart."""
    from alembic import command
    from sqlalchemy import create_engine

    from storage.migrate import alembic_config

    engine = create_engine(database_url)
    command.downgrade(alembic_config(engine), "0006")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO communities (id, name, purpose, description, links, welcome_text, channel_id, created_by, created_at)"
                " VALUES (1, 'python', 'p', '', '', '', 'C1', 'U1', '2026-01-01 00:00:00')"
            )
        )
        for resource_id, url, normalized in (
            (1, "http://Docs.Python.org/3/", "http://docs.python.org/3"),
            (2, "https://docs.python.org/3", "https://docs.python.org/3"),  # the same page, shared twice before
            (3, "https://example.org:443/a#top", "https://example.org:443/a"),
        ):
            connection.execute(
                text(
                    "INSERT INTO resources (id, community_id, kind, url, url_normalized, title, note, shared_by, shared_at,"
                    " pinned, search_text) VALUES (:id, 1, 'article', :url, :normalized, 't', '', 'U1',"
                    " '2026-01-01 00:00:00', false, 't')"
                ),
                {"id": resource_id, "url": url, "normalized": normalized},
            )
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, url_normalized FROM resources ORDER BY id")).all()
    assert [tuple(row) for row in rows] == [
        (1, "http://docs.python.org/3"),  # the same page as 2, which holds the new form: both stay
        (2, "https://docs.python.org/3"),
        (3, "https://example.org/a"),
    ]
    command.downgrade(alembic_config(engine), "0006")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT url_normalized FROM resources WHERE id = 3")).scalar() == (
            "https://example.org:443/a"
        )
    upgrade(engine)
    engine.dispose()
