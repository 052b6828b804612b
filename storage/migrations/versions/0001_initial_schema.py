"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "communities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("links", sa.Text(), nullable=False),
        sa.Column("welcome_text", sa.Text(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("archived_at", storage.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communities")),
        sa.UniqueConstraint("name", name=op.f("uq_communities_name")),
    )
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_communities_channel_id"), ["channel_id"], unique=False)

    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("started_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("finished_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("job", "scope", "period", name=op.f("uq_job_runs_job_scope_period")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=48), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("dedupe_key", sa.String(length=191), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.Column("first_attempt_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("lease_until", storage.types.UTCDateTime(), nullable=True),
        sa.Column("sent_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("result_channel", sa.String(length=32), nullable=True),
        sa.Column("result_ts", sa.String(length=32), nullable=True),
        sa.Column("depends_on_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["depends_on_id"], ["outbox.id"], name=op.f("fk_outbox_depends_on_id_outbox")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_dedupe_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "people",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("checkin_snoozed_until", storage.types.UTCDateTime(), nullable=True),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_people")),
    )
    op.create_table(
        "seen_events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("seen_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_seen_events")),
    )
    with op.batch_alter_table("seen_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seen_events_seen_at"), ["seen_at"], unique=False)

    op.create_table(
        "activity_counts",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_activity_counts_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("community_id", "user_id", "day", name=op.f("pk_activity_counts")),
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("sent_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=True),
        sa.Column("answered_at", storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_checkins_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("community_id", "user_id", "period", name=op.f("uq_checkins_community_id_user_id_period")),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkins_user_id"), ["user_id"], unique=False)

    op.create_table(
        "discussion_prompts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("queued_by", sa.String(length=32), nullable=False),
        sa.Column("queued_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("posted_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("reply_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_discussion_prompts_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_prompts")),
    )
    with op.batch_alter_table("discussion_prompts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_discussion_prompts_community_id"), ["community_id"], unique=False)
        batch_op.create_index("ix_discussion_prompts_thread", ["channel_id", "message_ts"], unique=False)

    op.create_table(
        "expertise_keywords",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("keyword", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["people.user_id"], name=op.f("fk_expertise_keywords_user_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expertise_keywords")),
        sa.UniqueConstraint("user_id", "keyword", name=op.f("uq_expertise_keywords_user_id_keyword")),
    )
    with op.batch_alter_table("expertise_keywords", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expertise_keywords_keyword"), ["keyword"], unique=False)
        batch_op.create_index(batch_op.f("ix_expertise_keywords_user_id"), ["user_id"], unique=False)

    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("joined_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("left_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_memberships_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memberships_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_memberships_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_memberships_active",
            ["community_id", "user_id"],
            unique=True,
            sqlite_where=sa.text("left_at IS NULL"),
            postgresql_where=sa.text("left_at IS NULL"),
        )

    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("asked_by", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("asked_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("reply_count", sa.Integer(), nullable=False),
        sa.Column("answered_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("answered_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_questions_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questions_community_id"), ["community_id"], unique=False)
        batch_op.create_index("ix_questions_thread", ["channel_id", "message_ts"], unique=False)

    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("url_normalized", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("shared_by", sa.String(length=32), nullable=False),
        sa.Column("shared_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=32), nullable=True),
        sa.Column("reviewed_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("retired_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("source_channel_id", sa.String(length=32), nullable=True),
        sa.Column("source_ts", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_resources_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
    )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.create_index("ix_resources_listing", ["community_id", "pinned", "shared_at"], unique=False)
        batch_op.create_index(
            "uq_resources_url",
            ["community_id", "url_normalized"],
            unique=True,
            sqlite_where=sa.text("url_normalized IS NOT NULL"),
            postgresql_where=sa.text("url_normalized IS NOT NULL"),
        )

    op.create_table(
        "role_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("assigned_by", sa.String(length=32), nullable=False),
        sa.Column("assigned_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_role_assignments_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_assignments")),
        sa.UniqueConstraint(
            "community_id", "user_id", "role", name=op.f("uq_role_assignments_community_id_user_id_role")
        ),
    )
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_assignments_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_role_assignments_user_id"), ["user_id"], unique=False)

    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=16), nullable=False),
        sa.Column("spec", sa.String(length=64), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=32), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_schedules_community_id_communities")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
        sa.UniqueConstraint("community_id", "job", name=op.f("uq_schedules_community_id_job")),
    )
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

    op.create_table(
        "resource_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["resource_id"], ["resources.id"], name=op.f("fk_resource_tags_resource_id_resources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_tags")),
        sa.UniqueConstraint("resource_id", "tag", name=op.f("uq_resource_tags_resource_id_tag")),
    )
    with op.batch_alter_table("resource_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resource_tags_resource_id"), ["resource_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_resource_tags_tag"), ["tag"], unique=False)

    op.create_table(
        "welcome_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("newcomer_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("escalated_at", storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"], ["communities.id"], name=op.f("fk_welcome_alerts_community_id_communities")
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"], ["memberships.id"], name=op.f("fk_welcome_alerts_membership_id_memberships")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_welcome_alerts")),
        sa.UniqueConstraint("membership_id", name=op.f("uq_welcome_alerts_membership_id")),
    )
    with op.batch_alter_table("welcome_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_welcome_alerts_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_welcome_alerts_created_at"), ["created_at"], unique=False)

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
    with op.batch_alter_table("welcome_alert_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_welcome_alert_messages_alert_id"), ["alert_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("welcome_alert_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_welcome_alert_messages_alert_id"))

    op.drop_table("welcome_alert_messages")
    with op.batch_alter_table("welcome_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_welcome_alerts_created_at"))
        batch_op.drop_index(batch_op.f("ix_welcome_alerts_community_id"))

    op.drop_table("welcome_alerts")
    with op.batch_alter_table("resource_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_tags_tag"))
        batch_op.drop_index(batch_op.f("ix_resource_tags_resource_id"))

    op.drop_table("resource_tags")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_responses_community_id"))

    op.drop_table("survey_responses")
    op.drop_table("survey_participations")
    op.drop_table("schedules")
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_assignments_user_id"))
        batch_op.drop_index(batch_op.f("ix_role_assignments_community_id"))

    op.drop_table("role_assignments")
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_resources_url",
            sqlite_where=sa.text("url_normalized IS NOT NULL"),
            postgresql_where=sa.text("url_normalized IS NOT NULL"),
        )
        batch_op.drop_index("ix_resources_listing")

    op.drop_table("resources")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_thread")
        batch_op.drop_index(batch_op.f("ix_questions_community_id"))

    op.drop_table("questions")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_memberships_active",
            sqlite_where=sa.text("left_at IS NULL"),
            postgresql_where=sa.text("left_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_memberships_user_id"))
        batch_op.drop_index(batch_op.f("ix_memberships_community_id"))

    op.drop_table("memberships")
    with op.batch_alter_table("expertise_keywords", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expertise_keywords_user_id"))
        batch_op.drop_index(batch_op.f("ix_expertise_keywords_keyword"))

    op.drop_table("expertise_keywords")
    with op.batch_alter_table("discussion_prompts", schema=None) as batch_op:
        batch_op.drop_index("ix_discussion_prompts_thread")
        batch_op.drop_index(batch_op.f("ix_discussion_prompts_community_id"))

    op.drop_table("discussion_prompts")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkins_user_id"))

    op.drop_table("checkins")
    op.drop_table("activity_counts")
    with op.batch_alter_table("seen_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seen_events_seen_at"))

    op.drop_table("seen_events")
    op.drop_table("people")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")

    op.drop_table("outbox")
    op.drop_table("job_runs")
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_communities_channel_id"))

    op.drop_table("communities")
