"""rhythms: schedules in a zone of their own, check-in help claims, snoozes per membership,
anonymous survey rounds, first replies to questions, digest snapshots, working-hours delivery

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_column("timezone")  # never used: a schedule has its own zone
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("checkin_snoozed_until")  # a snooze belongs to one membership
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checkin_snoozed_until", storage.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_reply_at", storage.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.alter_column("timezone", existing_type=sa.String(length=64), nullable=True)
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("help_alerted_at", storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("help_claimed_by", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("help_claimed_at", storage.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("working_hours_zone", sa.String(length=64), nullable=True))

    # Surveys were never sent before this revision: the old tables hold nothing to keep.
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_responses_community_id"))
    op.drop_table("survey_responses")
    op.drop_table("survey_participations")
    op.create_table(
        "survey_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("opened_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("closes_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("opened_by", sa.String(length=32), nullable=True),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("tallies", sa.JSON(), nullable=False),
        sa.Column("stories", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_survey_rounds_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_rounds")),
        sa.UniqueConstraint("community_id", "period", name=op.f("uq_survey_rounds_community_id_period")),
    )
    with op.batch_alter_table("survey_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_rounds_community_id"), ["community_id"], unique=False)
    op.create_table(
        "survey_participations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"], ["survey_rounds.id"], name=op.f("fk_survey_participations_round_id_survey_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_participations")),
        sa.UniqueConstraint("round_id", "user_id", name=op.f("uq_survey_participations_round_id_user_id")),
    )
    op.create_table(
        "digest_snapshots",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("period_label", sa.String(length=80), nullable=False),
        sa.Column("built_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_digest_snapshots_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("community_id", name=op.f("pk_digest_snapshots")),
    )
    # Activity is read by community and day range for the digest.
    with op.batch_alter_table("activity_counts", schema=None) as batch_op:
        batch_op.create_index("ix_activity_counts_community_day", ["community_id", "day"], unique=False)
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index("ix_memberships_community_joined", ["community_id", "joined_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_memberships_community_joined")
    with op.batch_alter_table("activity_counts", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_counts_community_day")
    op.drop_table("digest_snapshots")
    op.drop_table("survey_participations")
    with op.batch_alter_table("survey_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_rounds_community_id"))
    op.drop_table("survey_rounds")
    op.create_table(
        "survey_participations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("invited_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_survey_participations_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_participations")),
        sa.UniqueConstraint(
            "community_id", "period", "user_id", name=op.f("uq_survey_participations_community_id_period_user_id")
        ),
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("immediate_value", sa.Integer(), nullable=False),
        sa.Column("potential_value", sa.Integer(), nullable=False),
        sa.Column("applied_value", sa.Integer(), nullable=False),
        sa.Column("realised_value", sa.Integer(), nullable=False),
        sa.Column("change_direction", sa.Integer(), nullable=False),
        sa.Column("story", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_survey_responses_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_responses_community_id"), ["community_id"], unique=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("working_hours_zone")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_column("help_claimed_at")
        batch_op.drop_column("help_claimed_by")
        batch_op.drop_column("help_alerted_at")
    op.execute(sa.text("UPDATE schedules SET timezone = 'UTC' WHERE timezone IS NULL"))
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.alter_column("timezone", existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_column("first_reply_at")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("checkin_snoozed_until")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checkin_snoozed_until", storage.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
