"""SQLAlchemy models for the whole copbot domain (SPEC: People and roles, Flows)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Role(StrEnum):
    """The four core-group roles of a community."""

    COORDINATOR = "coordinator"
    SUPPORT = "support"
    RESOURCES = "resources"
    WEBADMIN = "webadmin"


class ResourceKind(StrEnum):
    """What sort of knowledge a resource is."""

    ARTICLE = "article"
    REPORT = "report"
    WEBSITE = "website"
    GUIDELINE = "guideline"
    TIP = "tip"
    LESSON = "lesson"


class JobName(StrEnum):
    """Schedulable per-community jobs."""

    DIGEST = "digest"
    PROMPT = "prompt"
    CHECKIN = "checkin"
    SURVEY = "survey"


class OutboxStatus(StrEnum):
    """Where an outgoing message is in its life."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"  # no longer wanted before it was sent (a check-in to someone who left)


class Community(Base):
    __tablename__ = "communities"
    __table_args__ = (
        # One live community per channel, however many `create`s race for it.
        Index(
            "uq_communities_live_channel",
            "channel_id",
            unique=True,
            sqlite_where=text("archived_at IS NULL"),
            postgresql_where=text("archived_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    purpose: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[str] = mapped_column(Text, default="")
    welcome_text: Mapped[str] = mapped_column(Text, default="")
    channel_id: Mapped[str] = mapped_column(String(32), index=True)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Brought back from the archive: its schedules start again from here (nothing missed while archived runs).
    revived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(back_populates="community")
    roles: Mapped[list[RoleAssignment]] = relationship(back_populates="community")


class Membership(Base):
    """One stint of a person in a community; rejoining starts a new one."""

    __tablename__ = "memberships"
    __table_args__ = (
        Index(
            "uq_memberships_active",
            "community_id",
            "user_id",
            unique=True,
            sqlite_where=text("left_at IS NULL"),
            postgresql_where=text("left_at IS NULL"),
        ),
        Index("ix_memberships_community_joined", "community_id", "joined_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # command, button, channel, role, create, founding (in the channel when the community was created)
    source: Mapped[str] = mapped_column(String(16))
    checkin_snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    introduced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # once per membership

    community: Mapped[Community] = relationship(back_populates="memberships")


class RoleAssignment(Base):
    __tablename__ = "role_assignments"
    __table_args__ = (UniqueConstraint("community_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    role: Mapped[str] = mapped_column(String(16))
    assigned_by: Mapped[str] = mapped_column(String(32))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)

    community: Mapped[Community] = relationship(back_populates="roles")


class WelcomeAlert(Base):
    """The welcome of one membership: who claimed it, when, and whether it was escalated."""

    __tablename__ = "welcome_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"), unique=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    newcomer_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Person(Base):
    """What a person chose to tell copbot about themselves."""

    __tablename__ = "people"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ExpertiseKeyword(Base):
    __tablename__ = "expertise_keywords"
    __table_args__ = (UniqueConstraint("user_id", "keyword"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("people.user_id"), index=True)
    keyword: Mapped[str] = mapped_column(String(80), index=True)


class Resource(Base):
    __tablename__ = "resources"
    __table_args__ = (
        Index(
            "uq_resources_url",
            "community_id",
            "url_normalized",
            unique=True,
            sqlite_where=text("url_normalized IS NOT NULL"),
            postgresql_where=text("url_normalized IS NOT NULL"),
        ),
        Index("ix_resources_listing", "community_id", "pinned", "shared_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    kind: Mapped[str] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(Text)
    url_normalized: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    shared_by: Mapped[str] = mapped_column(String(32))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_by: Mapped[str | None] = mapped_column(String(32))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source_channel_id: Mapped[str | None] = mapped_column(String(32))
    source_ts: Mapped[str | None] = mapped_column(String(32))
    source_permalink: Mapped[str | None] = mapped_column(Text)
    # Title, note and tags, lowercased with accents removed: what full-text search indexes.
    search_text: Mapped[str] = mapped_column(Text, default="")

    tags: Mapped[list[ResourceTag]] = relationship(
        cascade="all, delete-orphan", order_by="ResourceTag.id", lazy="selectin"
    )


class ResourceTag(Base):
    __tablename__ = "resource_tags"
    __table_args__ = (UniqueConstraint("resource_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id"), index=True)
    tag: Mapped[str] = mapped_column(String(64), index=True)


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_thread", "channel_id", "message_ts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    asked_by: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str | None] = mapped_column(String(32))
    # The channel post; its ts is known once delivered (thread replies are matched through it).
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), index=True)


class DiscussionPrompt(Base):
    __tablename__ = "discussion_prompts"
    __table_args__ = (Index("ix_discussion_prompts_thread", "channel_id", "message_ts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    queued_by: Mapped[str] = mapped_column(String(32))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), index=True)


class Schedule(Base):
    """When one of a community's jobs runs, once a coordinator has set it (until then, the job's default).

    `spec` is the WHEN form as copbot normalised it; `enabled` is false for `off`; a NULL
    `timezone` follows COPBOT_TIMEZONE. Runs due before `updated_at` never go out.
    """

    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("community_id", "job"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    job: Mapped[str] = mapped_column(String(16))
    spec: Mapped[str] = mapped_column(String(64))
    timezone: Mapped[str | None] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CheckIn(Base):
    """One member's engagement check-in of one round (`period`), and their answer."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("community_id", "user_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    period: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(String(16))  # good, help, snooze
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    help_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # support was told, once
    help_claimed_by: Mapped[str | None] = mapped_column(String(32))
    help_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SurveyRound(Base):
    """One round of the value-cycle review survey, and its anonymous results.

    There is no row per answer: each answer adds to `tallies` (per cycle, how many gave each
    rating 1–5) and, when given, its story goes into `stories` at a random place. Who answered
    is recorded apart (SurveyParticipation), so no row, order or time links an answer to a person.
    """

    __tablename__ = "survey_rounds"
    __table_args__ = (UniqueConstraint("community_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    period: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_by: Mapped[str | None] = mapped_column(String(32))  # None: the schedule
    answers: Mapped[int] = mapped_column(Integer, default=0)
    tallies: Mapped[dict[str, list[int]]] = mapped_column(JSON)
    stories: Mapped[list[str]] = mapped_column(JSON)


class SurveyParticipation(Base):
    """Who was invited to a survey round and whether they answered; never what they answered."""

    __tablename__ = "survey_participations"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_rounds.id"))
    user_id: Mapped[str] = mapped_column(String(32))
    answered: Mapped[bool] = mapped_column(Boolean, default=False)


class DigestSnapshot(Base):
    """The headline figures of a community's latest digest, for its coordinators' App Home."""

    __tablename__ = "digest_snapshots"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    period_label: Mapped[str] = mapped_column(String(80))
    built_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lines: Mapped[list[str]] = mapped_column(JSON)


class ActivityCount(Base):
    """Messages one member posted in a community's channel on one day; never their text."""

    __tablename__ = "activity_counts"
    __table_args__ = (Index("ix_activity_counts_community_day", "community_id", "day"),)

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    messages: Mapped[int] = mapped_column(Integer, default=0)


class JobRun(Base):
    """The ledger that makes each (job, scope, period) run once across processes."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "scope", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    runs: Mapped[int] = mapped_column(Integer, default=1)
    summary: Mapped[str] = mapped_column(Text, default="")


class SeenEvent(Base):
    """Events API deliveries already handled, so Slack's retries change nothing."""

    __tablename__ = "seen_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class OutboxMessage(Base):
    """A Slack Web API call that must happen, stored with the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_result", "result_channel", "result_ts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(48))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str | None] = mapped_column(String(191), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Set when an attempt may have reached Slack (timeout, crash): check before posting again.
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    first_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    result_channel: Mapped[str | None] = mapped_column(String(32))
    result_ts: Mapped[str | None] = mapped_column(String(32))
    # Set for messages that wait for the recipient's working hours (09:00–17:00, Monday to Friday, in their
    # Slack time zone); the zone to use when Slack gives none.
    working_hours_zone: Mapped[str | None] = mapped_column(String(64))
    # An update (chat.update) of a message still in the outbox waits for it and takes its channel and ts.
    depends_on_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), index=True)
    # Whose action this message carries out (their question, their introduction), and what it is in their
    # words ("your question in <#C1>"): if Slack refuses it for good, they are told.
    on_behalf_of: Mapped[str | None] = mapped_column(String(32))
    describes: Mapped[str | None] = mapped_column(Text)


class HealthProbe(Base):
    """One row per serving process, written by `/healthz` to prove the database takes writes."""

    __tablename__ = "health_probes"

    process: Mapped[str] = mapped_column(String(64), primary_key=True)
    probed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TrackedMessage(Base):
    """A message sent about one thing (a welcome, a resource to review, …), kept so that every
    message of the group can be updated together later: `topic` names the kind of thing,
    `subject_id` which one."""

    __tablename__ = "tracked_messages"
    __table_args__ = (Index("ix_tracked_messages_subject", "topic", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    recipient_id: Mapped[str] = mapped_column(String(32))
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), unique=True)
