"""The welcome flow as domain functions: who is sent what, claiming, and raising unclaimed welcomes."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from bot.communities.lifecycle import create_community
from bot.communities.membership import leave_community
from bot.communities.roles import assign_role
from bot.welcome.flow import (
    WelcomeGone,
    claim_welcome,
    escalate_unclaimed_welcomes,
    greet_workspace_joiner,
    join_community,
)
from storage.models import Community, Role, WelcomeAlert
from tests.bot.conftest import queued
from tests.conftest import START


@pytest.fixture
def python(db: Session) -> Community:
    community = create_community(
        db, name="python", purpose="Python at work", channel_id="C_PYTHON", creator="U_ADA", now=START
    )
    for volunteer in ("U_CAROL", "U_DAN"):
        assign_role(db, community, user_id=volunteer, role=Role.SUPPORT, by="U_ADA", now=START, command="/cop")
    return community


def join(db: Session, community: Community, user: str = "U_BOB") -> WelcomeAlert:
    result = join_community(
        db, community, user_id=user, source="command", now=START, command="/cop", zone=ZoneInfo("UTC")
    )
    assert result.joined
    db.flush()
    alert = db.query(WelcomeAlert).filter_by(membership_id=result.membership.id).one()
    return alert


def test_joining_sends_the_newcomer_a_dm_and_each_volunteer_an_alert_once(db: Session, python: Community) -> None:
    join(db, python)
    again = join_community(
        db, python, user_id="U_BOB", source="channel", now=START, command="/cop", zone=ZoneInfo("UTC")
    )
    assert not again.joined
    [dm] = queued(db, kind="welcome_dm")
    assert dm.channel == "U_BOB" and "Member support: <@U_CAROL>, <@U_DAN>" in dm.blocks
    assert [alert.channel for alert in queued(db, kind="welcome_alert")] == ["U_CAROL", "U_DAN"]


def test_a_volunteer_who_joins_is_not_alerted_about_themselves(db: Session, python: Community) -> None:
    leave_community(db, python, user_id="U_CAROL", now=START)
    join(db, python, "U_CAROL")
    assert [alert.channel for alert in queued(db, kind="welcome_alert")] == ["U_DAN"]


def test_the_first_claim_wins_and_every_alert_says_who(db: Session, python: Community) -> None:
    alert = join(db, python)
    first = claim_welcome(db, alert_id=alert.id, claimer="U_DAN", now=START + timedelta(minutes=42))
    second = claim_welcome(db, alert_id=alert.id, claimer="U_CAROL", now=START + timedelta(minutes=50))
    assert first.won and not second.won and second.claimed_by == "U_DAN"
    assert first.seconds_to_claim == 42 * 60
    updates = {update.channel: update.blocks for update in queued(db, kind="welcome_alert_update")}
    assert "You are welcoming <@U_BOB>" in updates["U_DAN"]
    assert "<@U_DAN> is welcoming <@U_BOB>" in updates["U_CAROL"]
    assert len(queued(db, kind="welcome_alert_update")) == 2, "a losing claim edits nothing"
    with pytest.raises(WelcomeGone):
        claim_welcome(db, alert_id=alert.id + 100, claimer="U_DAN", now=START)


def test_an_unclaimed_welcome_is_raised_once_after_a_day_and_the_reminder_is_updated_on_claim(
    db: Session, python: Community
) -> None:
    alert = join(db, python)
    assert escalate_unclaimed_welcomes(db, START + timedelta(hours=23)) == 0
    assert escalate_unclaimed_welcomes(db, START + timedelta(hours=25)) == 1
    assert escalate_unclaimed_welcomes(db, START + timedelta(hours=26)) == 0
    [reminder] = queued(db, kind="welcome_escalation")
    assert reminder.channel == "U_ADA" and "joined *python* 25 hours ago" in reminder.blocks
    claim_welcome(db, alert_id=alert.id, claimer="U_ADA", now=START + timedelta(hours=27))
    assert sorted(update.channel for update in queued(db, kind="welcome_alert_update")) == ["U_ADA", "U_CAROL", "U_DAN"]


def test_someone_who_left_is_not_raised(db: Session, python: Community) -> None:
    join(db, python)
    leave_community(db, python, user_id="U_BOB", now=START + timedelta(hours=1))
    assert escalate_unclaimed_welcomes(db, START + timedelta(days=2)) == 0


def test_a_workspace_newcomer_hears_about_communities_once_there_are_some(db: Session) -> None:
    assert not greet_workspace_joiner(db, user_id="U_NEW", now=START, command="/cop")
    create_community(db, name="python", purpose="p", channel_id="C_PYTHON", creator="U_ADA", now=START)
    assert greet_workspace_joiner(db, user_id="U_NEW", now=START, command="/cop")
    assert greet_workspace_joiner(db, user_id="U_NEW", now=START, command="/cop")
    assert [dm.channel for dm in queued(db, kind="workspace_greeting")] == ["U_NEW"]
