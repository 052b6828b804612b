"""resource search, review messages, thread links

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


# SQLite: an FTS5 index over resources.search_text (already lowercased and accent-folded
# by copbot; the tokenizer folds diacritics too), kept in step by triggers.
SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE resources_fts USING fts5("
    "search_text, content='resources', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER resources_fts_ai AFTER INSERT ON resources BEGIN "
    "INSERT INTO resources_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER resources_fts_ad AFTER DELETE ON resources BEGIN "
    "INSERT INTO resources_fts(resources_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER resources_fts_au AFTER UPDATE OF search_text ON resources BEGIN "
    "INSERT INTO resources_fts(resources_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO resources_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO resources_fts(resources_fts) VALUES ('rebuild')",
)


def _searchable(*parts: str) -> str:
    """Lowercased, accent-free words: the same as storage.search.searchable_text at this revision."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", " ".join(parts)) if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", folded.casefold()))


def _fill_search_text() -> None:
    """Index resources stored before search existed."""
    bind = op.get_bind()
    tags: dict[int, list[str]] = {}
    for resource_id, tag in bind.execute(sa.text("SELECT resource_id, tag FROM resource_tags")):
        tags.setdefault(resource_id, []).append(tag)
    for resource_id, title, note in bind.execute(sa.text("SELECT id, title, note FROM resources")).all():
        bind.execute(
            sa.text("UPDATE resources SET search_text = :text WHERE id = :id"),
            {"text": _searchable(title, note or "", *tags.get(resource_id, [])), "id": resource_id},
        )


def upgrade() -> None:
    op.create_table(
        "resource_review_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.String(length=32), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name=op.f("fk_resource_review_messages_outbox_id_outbox")
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"], ["resources.id"], name=op.f("fk_resource_review_messages_resource_id_resources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_review_messages")),
    )
    with op.batch_alter_table("resource_review_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resource_review_messages_resource_id"), ["resource_id"], unique=False)

    with op.batch_alter_table("discussion_prompts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outbox_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_discussion_prompts_outbox_id_outbox"), "outbox", ["outbox_id"], ["id"]
        )

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_result", ["result_channel", "result_ts"], unique=False)

    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outbox_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_questions_outbox_id_outbox"), "outbox", ["outbox_id"], ["id"])

    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_permalink", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))

    _fill_search_text()
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    else:
        op.execute("CREATE INDEX ix_resources_search ON resources USING gin (to_tsvector('simple', search_text))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("resources_fts_ai", "resources_fts_ad", "resources_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS resources_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_resources_search")
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_column("search_text")
        batch_op.drop_column("source_permalink")

    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_questions_outbox_id_outbox"), type_="foreignkey")
        batch_op.drop_column("outbox_id")

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_result")

    with op.batch_alter_table("discussion_prompts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_discussion_prompts_outbox_id_outbox"), type_="foreignkey")
        batch_op.drop_column("outbox_id")

    with op.batch_alter_table("resource_review_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_review_messages_resource_id"))

    op.drop_table("resource_review_messages")
