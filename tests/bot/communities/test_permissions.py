"""Every permission rule, tested directly."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.communities.lifecycle import create_community
from bot.communities.membership import add_membership
from bot.communities.permissions import (
    Audience,
    audience_in,
    may,
    may_mark_answered,
    may_review,
    may_support_members,
    refusal,
    widest_audience,
)
from bot.communities.roles import assign_role
from storage.models import Community, Role
from tests.bot.conftest import FakeAdmins
from tests.conftest import START


@pytest.fixture
def python(db: Session) -> Community:
    community = create_community(db, name="python", purpose="p", channel_id="C_PYTHON", creator="U_COORD", now=START)
    for user, role in (("U_SUPPORT", Role.SUPPORT), ("U_LIBRARIAN", Role.RESOURCES), ("U_WEB", Role.WEBADMIN)):
        assign_role(db, community, user_id=user, role=role, by="U_COORD", now=START, command="/cop")
    add_membership(db, community, user_id="U_MEMBER", source="command", now=START)
    return community


@pytest.mark.parametrize(
    ("user", "audience"),
    [
        ("U_COORD", Audience.COORDINATOR),
        ("U_WEB", Audience.EDITOR),
        ("U_SUPPORT", Audience.MEMBER),
        ("U_MEMBER", Audience.MEMBER),
        ("U_VISITOR", Audience.ANYONE),
    ],
)
def test_audience_by_roles_and_membership(db: Session, python: Community, user: str, audience: Audience) -> None:
    assert audience_in(db, user_id=user, community=python) == audience


def test_admins_may_do_what_coordinators_may_and_are_asked_only_when_roles_fall_short(
    db: Session, python: Community
) -> None:
    admins = FakeAdmins("U_ADMIN")
    assert may(db, admins, user_id="U_COORD", need=Audience.COORDINATOR, community=python)
    assert may(db, admins, user_id="U_VISITOR", need=Audience.ANYONE, community=python)
    assert admins.asked == []
    assert may(db, admins, user_id="U_ADMIN", need=Audience.COORDINATOR, community=python)
    assert not may(db, admins, user_id="U_MEMBER", need=Audience.EDITOR, community=python)
    assert not may(db, admins, user_id="U_COORD", need=Audience.ADMIN, community=None)
    assert widest_audience(db, admins, user_id="U_ADMIN") == Audience.ADMIN
    assert widest_audience(db, admins, user_id="U_MEMBER") == Audience.MEMBER


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        ("support_members", {"U_COORD", "U_SUPPORT", "U_ADMIN"}),
        ("review", {"U_COORD", "U_LIBRARIAN", "U_ADMIN"}),
        ("mark_answered", {"U_COORD", "U_ASKER", "U_ADMIN"}),
    ],
)
def test_who_may_take_members_on_review_and_mark_answered(
    db: Session, python: Community, rule: str, allowed: set[str]
) -> None:
    admins = FakeAdmins("U_ADMIN")
    everyone = ["U_COORD", "U_SUPPORT", "U_LIBRARIAN", "U_WEB", "U_MEMBER", "U_VISITOR", "U_ASKER", "U_ADMIN"]

    def permitted(user: str) -> bool:
        if rule == "support_members":
            return may_support_members(db, admins, user_id=user, community_id=python.id)
        if rule == "review":
            return may_review(db, admins, user_id=user, community_id=python.id)
        return may_mark_answered(db, admins, user_id=user, community_id=python.id, asked_by="U_ASKER")

    assert {user for user in everyone if permitted(user)} == allowed


def test_a_refusal_names_the_role_needed(python: Community) -> None:
    assert (
        refusal(Audience.COORDINATOR, python)
        == "Sorry, only a coordinator of *python* (or a workspace admin) can do that."
    )
    assert refusal(Audience.MEMBER, python, command="/practice").endswith("Join with `/practice join python`.")
    assert refusal(Audience.ADMIN, None) == "Sorry, only a workspace admin can do that."
