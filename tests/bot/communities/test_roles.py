"""The core group: giving and taking roles."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.communities.lifecycle import Refused, create_community
from bot.communities.lookup import is_active_member
from bot.communities.roles import assign_role, remove_role, role_holders, support_or_coordinators
from storage.models import Community, Role
from tests.bot.conftest import queued
from tests.conftest import START


@pytest.fixture
def python(db: Session) -> Community:
    return create_community(db, name="python", purpose="p", channel_id="C_PYTHON", creator="U_ADA", now=START)


def give(db: Session, community: Community, user: str, role: Role, by: str = "U_ADA") -> bool:
    return assign_role(db, community, user_id=user, role=role, by=by, now=START, command="/cop")


def test_a_role_holder_becomes_a_member_and_hears_what_the_role_means(db: Session, python: Community) -> None:
    assert give(db, python, "U_CAROL", Role.SUPPORT)
    assert is_active_member(db, "U_CAROL", python.id)
    [dm] = queued(db, kind="role_assigned")
    assert dm.channel == "U_CAROL"
    assert dm.text.startswith("<@U_ADA> made you member support of python. You'll get an alert for each newcomer")
    assert queued(db, kind="welcome_dm") == [], "role holders are not welcomed as newcomers"


def test_giving_a_role_twice_or_to_oneself(db: Session, python: Community) -> None:
    assert give(db, python, "U_CAROL", Role.RESOURCES)
    assert not give(db, python, "U_CAROL", Role.RESOURCES)
    assert give(db, python, "U_ADA", Role.WEBADMIN)
    assert [dm.channel for dm in queued(db, kind="role_assigned")] == ["U_CAROL"]


def test_the_last_coordinator_stays(db: Session, python: Community) -> None:
    with pytest.raises(Refused, match="at least one coordinator"):
        remove_role(db, python, user_id="U_ADA", role=Role.COORDINATOR)
    give(db, python, "U_BOB", Role.COORDINATOR)
    assert remove_role(db, python, user_id="U_ADA", role=Role.COORDINATOR)
    assert list(role_holders(db, python.id, Role.COORDINATOR)) == ["U_BOB"]
    assert not remove_role(db, python, user_id="U_ADA", role=Role.COORDINATOR)


def test_support_falls_back_to_the_coordinators(db: Session, python: Community) -> None:
    assert support_or_coordinators(db, python) == ["U_ADA"]
    give(db, python, "U_CAROL", Role.SUPPORT)
    give(db, python, "U_DAN", Role.SUPPORT)
    assert support_or_coordinators(db, python) == ["U_CAROL", "U_DAN"]
