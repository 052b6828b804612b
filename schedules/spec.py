"""How features declare the jobs copbot runs on its own. The scheduler runs them; it knows no feature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from storage.models import Community

WORKSPACE_SCOPE = "workspace"


@dataclass(frozen=True)
class Occasion:
    """One run of a job: the period it is for, and when it was due."""

    period: str  # the job-run ledger's key: each (job, scope, period) runs once
    due_at: datetime  # when the schedule said it runs (aware)
    now: datetime  # when it actually runs: later than due_at after downtime or for `jobs run`
    forced: bool = False  # run again on request (`jobs run --force`): send now, whatever the hour


@dataclass(frozen=True)
class CommunityOccasion(Occasion):
    """One run of a community's job, on its schedule."""

    since: datetime | None = None  # the run before this one: where the period it covers began
    zone: ZoneInfo = ZoneInfo("UTC")  # the schedule's zone
    schedule: str = ""  # the schedule in words, such as "every Monday at 09:00"
    workspace_url: str | None = None  # the workspace's URL (auth.test), for links to messages


@dataclass(frozen=True)
class CommunityJob:
    """A job each community runs on its own schedule (stored; `default_when` until a coordinator sets it)."""

    name: str
    description: str
    default_when: str  # a WHEN form: "weekly mon 09:00", "quarterly", "off", …
    # A run missed while no copbot ran still goes out this late at most; None: up to one period late.
    catch_up: timedelta | None
    run: Callable[[Session, Community, CommunityOccasion], str]  # returns a one-line summary


def community_scope(community_id: int) -> str:
    """The job-run ledger's scope for a community's jobs."""
    return f"community:{community_id}"


PERIOD_KEY = "%Y-%m-%dT%H:%MZ"


def community_period(due_at: datetime) -> str:
    """The ledger's name for the period a community job's run belongs to: its due time in UTC."""
    return due_at.astimezone(UTC).strftime(PERIOD_KEY)


def due_of_community_period(period: str) -> datetime | None:
    """The due time a community job's period is named after (None for a name of another form)."""
    try:
        return datetime.strptime(period, PERIOD_KEY).replace(tzinfo=UTC)
    except ValueError:
        return None


@dataclass(frozen=True)
class WorkspaceJob:
    """A job that runs for the whole workspace on a fixed cron, in `COPBOT_TIMEZONE`."""

    name: str
    description: str
    cron: str  # 5 fields: minute hour day month day-of-week
    period_format: str  # strftime of the local due time that names its period, e.g. "%Y-%m-%dT%H"
    run: Callable[[Session, Occasion], str]  # returns a one-line summary of what it did
