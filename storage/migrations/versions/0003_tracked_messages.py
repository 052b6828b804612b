"""tracked messages: one table for groups of messages updated together

Replaces welcome_alert_messages (topic "welcome", subject = the welcome alert) and
resource_review_messages (topic "resource_review", subject = the resource), rows moved.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# (old table, its subject column, topic)
OLD_TABLES = (
    ("welcome_alert_messages", "alert_id", "welcome"),
    ("resource_review_messages", "resource_id", "resource_review"),
)


def upgrade() -> None:
    op.create_table(
        "tracked_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.String(length=32), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name=op.f("fk_tracked_messages_outbox_id_outbox")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracked_messages")),
        sa.UniqueConstraint("outbox_id", name=op.f("uq_tracked_messages_outbox_id")),
    )
    with op.batch_alter_table("tracked_messages", schema=None) as batch_op:
        batch_op.create_index("ix_tracked_messages_subject", ["topic", "subject_id"], unique=False)
    for table, subject, topic in OLD_TABLES:
        op.execute(
            sa.text(
                f"INSERT INTO tracked_messages (topic, subject_id, recipient_id, outbox_id) "
                f"SELECT :topic, {subject}, recipient_id, outbox_id FROM {table} ORDER BY id"
            ).bindparams(topic=topic)
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{subject}"))
        op.drop_table(table)


def downgrade() -> None:
    op.create_table(
        "welcome_alert_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.String(length=32), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["welcome_alerts.id"], name=op.f("fk_welcome_alert_messages_alert_id_welcome_alerts")
        ),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], name=op.f("fk_welcome_alert_messages_outbox_id_outbox")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_welcome_alert_messages")),
    )
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
    for table, subject, topic in OLD_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_{subject}"), [subject], unique=False)
        op.execute(
            sa.text(
                f"INSERT INTO {table} ({subject}, recipient_id, outbox_id) "
                f"SELECT subject_id, recipient_id, outbox_id FROM tracked_messages WHERE topic = :topic ORDER BY id"
            ).bindparams(topic=topic)
        )
    # Groups of later kinds (check-ins, help alerts, …) have no table before this revision.
    with op.batch_alter_table("tracked_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_tracked_messages_subject")
    op.drop_table("tracked_messages")
