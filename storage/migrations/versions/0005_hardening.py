"""hardening: one live community per channel, one introduction per membership, failure notices
for messages sent on someone's behalf, and a table /healthz writes to

A channel that already has two live communities (two `create`s raced before this
revision) keeps the older one; the newer ones are archived, their data kept.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _archive_later_communities_sharing_a_channel()
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.create_index(
            "uq_communities_live_channel",
            ["channel_id"],
            unique=True,
            sqlite_where=sa.text("archived_at IS NULL"),
            postgresql_where=sa.text("archived_at IS NULL"),
        )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("introduced_at", storage.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_behalf_of", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("describes", sa.Text(), nullable=True))
    op.create_table(
        "health_probes",
        sa.Column("process", sa.String(length=64), nullable=False),
        sa.Column("probed_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("process", name=op.f("pk_health_probes")),
    )


def downgrade() -> None:
    op.drop_table("health_probes")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("describes")
        batch_op.drop_column("on_behalf_of")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("introduced_at")
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_index("uq_communities_live_channel")


def _archive_later_communities_sharing_a_channel() -> None:
    communities = sa.table(
        "communities",
        sa.column("id", sa.Integer),
        sa.column("channel_id", sa.String),
        sa.column("archived_at", storage.types.UTCDateTime),
    )
    connection = op.get_bind()
    live = connection.execute(
        sa.select(communities.c.id, communities.c.channel_id)
        .where(communities.c.archived_at.is_(None))
        .order_by(communities.c.id)
    ).all()
    seen: set[str] = set()
    later: list[int] = []
    for community_id, channel_id in live:
        if channel_id in seen:
            later.append(community_id)
        seen.add(channel_id)
    if later:
        connection.execute(
            sa.update(communities).where(communities.c.id.in_(later)).values(archived_at=datetime.now(UTC))
        )
