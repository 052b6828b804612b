"""The weekly health digest: sent to each coordinator on the digest schedule, previewed with `/cop digest`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.communities.roles import role_holders
from bot.delivery.outbox import post_message
from bot.rhythms.digest_blocks import build_digest, headline, period_label
from bot.rhythms.figures import DigestFigures, Period, digest_figures
from bot.slack.markup import escape
from schedules.spec import CommunityOccasion, community_period, community_scope, due_of_community_period
from storage.models import Community, DigestSnapshot, JobRun, Role

DEFAULT_PERIOD = timedelta(days=7)
DIGEST_JOB = "digest"


@dataclass(frozen=True)
class Digest:
    """A built digest: its figures and its message."""

    figures: DigestFigures
    text: str
    blocks: list[dict[str, Any]]


def build_community_digest(
    session: Session, community: Community, period: Period, *, zone: ZoneInfo, workspace_url: str | None
) -> Digest:
    """Compute the figures and render them (a read: a preview changes nothing)."""
    figures = digest_figures(session, community, period)
    label = period_label(period, zone)
    return Digest(
        figures=figures,
        text=f"{escape(community.name)} health digest, {label}",
        blocks=build_digest(community, figures, zone=zone, workspace_url=workspace_url),
    )


def covers_a_whole_period(community: Community, *, since: datetime | None, due_at: datetime) -> bool:
    """False for a community younger than the period a digest would cover: its first digest waits a period."""
    return community.created_at <= (since or due_at - DEFAULT_PERIOD)


def send_digests(session: Session, community: Community, occasion: CommunityOccasion) -> str:
    """The digest job: the period since the last digest, in a DM to each coordinator; its headline is kept
    for their App Home."""
    if not covers_a_whole_period(community, since=occasion.since, due_at=occasion.due_at) and not occasion.forced:
        return "skipped: the community is younger than a digest period; its first digest comes next time"
    period = Period(_period_start(session, community, occasion), occasion.due_at)
    digest = build_community_digest(
        session, community, period, zone=occasion.zone, workspace_url=occasion.workspace_url
    )
    _keep_headline(session, community, digest.figures, label=period_label(period, occasion.zone), now=occasion.now)
    coordinators = list(role_holders(session, community.id, Role.COORDINATOR))
    for coordinator in coordinators:
        post_message(
            session, channel=coordinator, text=digest.text, blocks=digest.blocks, kind="digest", now=occasion.now
        )
    return f"sent the digest to {len(coordinators)} coordinator{'s' if len(coordinators) != 1 else ''}"


def _period_start(session: Session, community: Community, occasion: CommunityOccasion) -> datetime:
    """Where the last digest ended, so that a changed schedule leaves no gap and counts nothing twice;
    the schedule's previous run when there was no digest within two periods."""
    start = occasion.since or occasion.due_at - DEFAULT_PERIOD
    length = occasion.due_at - start
    periods = session.scalars(
        select(JobRun.period).where(
            JobRun.job == DIGEST_JOB,
            JobRun.scope == community_scope(community.id),
            JobRun.period < community_period(occasion.due_at),
        )
    ).all()
    ends = [due for due in (due_of_community_period(period) for period in periods) if due is not None]
    recent = [end for end in ends if occasion.due_at - 2 * length <= end < occasion.due_at]
    return max(recent) if recent else start


def preview_period(length: timedelta | None, now: datetime) -> Period:
    """What `/cop digest` covers: the digest schedule's period length (7 days when off), up to and
    including now (a join this very moment counts, as today's messages do: `copbot shell`'s clock
    stands still between commands, so there "just now" is "now")."""
    end = now + timedelta(microseconds=1)
    return Period(end - (length or DEFAULT_PERIOD), end)


def latest_headlines(session: Session, communities: list[Community]) -> dict[int, DigestSnapshot]:
    """The headline figures of each community's latest digest (none before its first), by community id."""
    if not communities:
        return {}
    ids = [community.id for community in communities]
    return {
        snapshot.community_id: snapshot
        for snapshot in session.scalars(select(DigestSnapshot).where(DigestSnapshot.community_id.in_(ids)))
    }


def _keep_headline(
    session: Session, community: Community, figures: DigestFigures, *, label: str, now: datetime
) -> None:
    snapshot = session.get(DigestSnapshot, community.id)
    if snapshot is None:
        snapshot = DigestSnapshot(community_id=community.id)
        session.add(snapshot)
    snapshot.period_label = label[:80]
    snapshot.built_at = now
    snapshot.lines = headline(figures)
