"""Memberships: one active stint per person and community."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.communities.lifecycle import create_community
from bot.communities.lookup import communities_of, member_count
from bot.communities.membership import add_membership, leave_community
from storage.models import Membership
from tests.conftest import START


def test_joining_twice_keeps_one_membership_and_rejoining_starts_a_new_stint(db: Session) -> None:
    python = create_community(db, name="python", purpose="p", channel_id="C_PYTHON", creator="U_ADA", now=START)
    first = add_membership(db, python, user_id="U_BOB", source="command", now=START)
    again = add_membership(db, python, user_id="U_BOB", source="channel", now=START)
    assert first.joined and not again.joined and again.membership.id == first.membership.id
    assert member_count(db, python) == 2 and [c.name for c in communities_of(db, "U_BOB")] == ["python"]
    assert leave_community(db, python, user_id="U_BOB", now=START + timedelta(days=1))
    assert not leave_community(db, python, user_id="U_BOB", now=START + timedelta(days=1))
    assert communities_of(db, "U_BOB") == []
    back = add_membership(db, python, user_id="U_BOB", source="button", now=START + timedelta(days=2))
    assert back.joined
    stints = db.scalars(select(Membership).where(Membership.user_id == "U_BOB").order_by(Membership.id)).all()
    assert [(m.source, m.left_at is None) for m in stints] == [("command", False), ("button", True)]
