"""Run Alembic migrations from code: `copbot migrate` and `serve` call `upgrade`."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).parent / "migrations"
PG_MIGRATION_LOCK = 0x636F70626F74  # "copbot": one migrating process at a time


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at our migrations and the given engine."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> bool:
    """Upgrade the schema to the latest migration, quietly; True when it changed something."""
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its INFO lines say nothing a person needs
    if current_revision(engine) == head_revision():
        return False
    _upgrade(engine)
    return True


def _upgrade(engine: Engine) -> None:
    config = alembic_config(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as lock_connection:
            lock_connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PG_MIGRATION_LOCK})
            try:
                command.upgrade(config, "head")
            finally:
                lock_connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PG_MIGRATION_LOCK})
                lock_connection.commit()
    else:
        command.upgrade(config, "head")


def head_revision() -> str:
    """The latest migration's revision: what `upgrade` brings a database to."""
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None when never migrated."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
