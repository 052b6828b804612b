"""indexes for pruning the outbox: housekeeping asks, for each finished message, whether a question,
a discussion prompt or a later update still refers to it; without these each question scans a table

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_questions_outbox_id", "questions", "outbox_id"),
    ("ix_discussion_prompts_outbox_id", "discussion_prompts", "outbox_id"),
    ("ix_outbox_depends_on_id", "outbox", "depends_on_id"),
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
