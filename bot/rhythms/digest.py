"""The weekly health digest: sent to each coordinator on the digest schedule, previewed with `/cop digest`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.communities.roles import role_holders
from bot.delivery.outbox import post_message
from bot.rhythms.digest_blocks import build_digest, headline, period_label
from bot.rhythms.figures import DigestFigures, Period, digest_figures
from bot.slack.markup import escape
from schedules.spec import CommunityOccasion
from storage.models import Community, DigestSnapshot, Role

DEFAULT_PERIOD = timedelta(days=7)


@dataclass(frozen=True)
class Digest:
    """A built digest: its figures and its message."""

    figures: DigestFigures
    text: str
    blocks: list[dict[str, Any]]


def build_community_digest(
    session: Session, community: Community, period: Period, *, zone: ZoneInfo, workspace_url: str | None, now: datetime
) -> Digest:
    """Compute the figures, render them, and keep the headline for the coordinators' App Home."""
    figures = digest_figures(session, community, period)
    label = period_label(period, zone)
    _keep_headline(session, community, figures, label=label, now=now)
    return Digest(
        figures=figures,
        text=f"{escape(community.name)} health digest, {label}",
        blocks=build_digest(community, figures, zone=zone, workspace_url=workspace_url),
    )


def covers_a_whole_period(community: Community, *, since: datetime | None, due_at: datetime) -> bool:
    """False for a community younger than the period a digest would cover: its first digest waits a period."""
    return community.created_at <= (since or due_at - DEFAULT_PERIOD)


def send_digests(session: Session, community: Community, occasion: CommunityOccasion) -> str:
    """The digest job: the period that just ended, in a DM to each coordinator."""
    start = occasion.since or occasion.due_at - DEFAULT_PERIOD
    if not covers_a_whole_period(community, since=occasion.since, due_at=occasion.due_at) and not occasion.forced:
        return "skipped: the community is younger than a digest period; its first digest comes next time"
    digest = build_community_digest(
        session,
        community,
        Period(start, occasion.due_at),
        zone=occasion.zone,
        workspace_url=occasion.workspace_url,
        now=occasion.now,
    )
    coordinators = list(role_holders(session, community.id, Role.COORDINATOR))
    for coordinator in coordinators:
        post_message(
            session, channel=coordinator, text=digest.text, blocks=digest.blocks, kind="digest", now=occasion.now
        )
    return f"sent the digest to {len(coordinators)} coordinator{'s' if len(coordinators) != 1 else ''}"


def preview_period(length: timedelta | None, now: datetime) -> Period:
    """What `/cop digest` covers: the digest schedule's period length (7 days when off), up to now."""
    return Period(now - (length or DEFAULT_PERIOD), now)


def latest_headline(session: Session, community: Community) -> DigestSnapshot | None:
    """The headline figures of the community's latest digest, if one was built."""
    return session.get(DigestSnapshot, community.id)


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
