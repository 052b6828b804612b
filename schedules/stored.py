"""Community schedules as stored: one per community and job, the job's default until a coordinator sets it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from schedules.spec import CommunityJob
from schedules.when import Timetable, When, parse_when
from storage.models import Community, Schedule


@dataclass(frozen=True)
class CommunitySchedule:
    """When one community's job runs, in which zone, and since when (nothing due before `anchor` runs)."""

    community_id: int
    community_name: str
    job: CommunityJob
    when: When
    zone: ZoneInfo
    zone_is_default: bool
    anchor: datetime
    set_by: str | None  # None while the job's default applies

    def timetable(self) -> Timetable | None:
        """The fire times, or None when the schedule is off."""
        return None if self.when.off else self.when.timetable(self.zone, anchor=self.anchor)


def schedules_of(
    session: Session, community: Community, jobs: Sequence[CommunityJob], *, default_zone: ZoneInfo
) -> list[CommunitySchedule]:
    """The community's schedule for each job, in the jobs' order."""
    rows = {row.job: row for row in session.scalars(select(Schedule).where(Schedule.community_id == community.id))}
    since = _since(community.created_at, community.revived_at)
    return [_schedule(community.id, community.name, since, job, rows.get(job.name), default_zone) for job in jobs]


def _since(created_at: datetime, revived_at: datetime | None) -> datetime:
    """From when a community's schedules count: its creation, or its return from the archive."""
    return max(created_at, revived_at) if revived_at is not None else created_at


def live_schedules(
    session: Session, jobs: Sequence[CommunityJob], *, default_zone: ZoneInfo
) -> list[CommunitySchedule]:
    """Every live community's schedules (off ones included), by community name."""
    communities = session.execute(
        select(Community.id, Community.name, Community.created_at, Community.revived_at)
        .where(Community.archived_at.is_(None))
        .order_by(Community.name)
    ).all()
    rows = {
        (row.community_id, row.job): row
        for row in session.scalars(
            select(Schedule)
            .join(Community, Community.id == Schedule.community_id)
            .where(Community.archived_at.is_(None))
        )
    }
    return [
        _schedule(community_id, name, _since(created, revived), job, rows.get((community_id, job.name)), default_zone)
        for community_id, name, created, revived in communities
        for job in jobs
    ]


def set_schedule(
    session: Session,
    community: Community,
    job: CommunityJob,
    *,
    when: When,
    zone: ZoneInfo | None,
    by: str,
    now: datetime,
    default_zone: ZoneInfo,
) -> CommunitySchedule:
    """Store a new schedule (zone None: COPBOT_TIMEZONE); runs due before now never go out for it.

    Setting what is already set changes nothing (a biweekly schedule keeps its weeks). Two coordinators
    setting one schedule at once take turns on the community's row lock: the later one wins, no error.
    """
    session.execute(select(Community.id).where(Community.id == community.id).with_for_update())
    row = session.scalar(select(Schedule).where(Schedule.community_id == community.id, Schedule.job == job.name))
    zone_key = zone.key if zone is not None else None
    if row is None and when.text == parse_when(job.default_when.split()).text and zone_key is None:
        return _schedule(
            community.id, community.name, _since(community.created_at, community.revived_at), job, None, default_zone
        )
    if row is not None and (row.spec, row.enabled, row.timezone) == (when.text, not when.off, zone_key):
        return _schedule(
            community.id, community.name, _since(community.created_at, community.revived_at), job, row, default_zone
        )
    if row is None:
        row = Schedule(community_id=community.id, job=job.name)
        session.add(row)
    row.spec = when.text
    row.enabled = not when.off
    row.timezone = zone_key
    row.updated_by = by
    row.updated_at = now
    session.flush()
    return _schedule(
        community.id, community.name, _since(community.created_at, community.revived_at), job, row, default_zone
    )


def _schedule(
    community_id: int,
    community_name: str,
    since: datetime,
    job: CommunityJob,
    row: Schedule | None,
    default_zone: ZoneInfo,
) -> CommunitySchedule:
    if row is None:
        return CommunitySchedule(
            community_id=community_id,
            community_name=community_name,
            job=job,
            when=parse_when(job.default_when.split()),
            zone=default_zone,
            zone_is_default=True,
            anchor=since,
            set_by=None,
        )
    return CommunitySchedule(
        community_id=community_id,
        community_name=community_name,
        job=job,
        when=parse_when(row.spec.split()) if row.enabled else When("off"),
        zone=ZoneInfo(row.timezone) if row.timezone else default_zone,
        zone_is_default=row.timezone is None,
        anchor=max(row.updated_at, since),
        set_by=row.updated_by,
    )
