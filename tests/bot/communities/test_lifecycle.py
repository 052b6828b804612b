"""Creating, editing and archiving communities."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.communities.lifecycle import CommunityEdit, Refused, archive_community, create_community, edit_community
from bot.communities.lookup import community_by_name, community_for_channel, live_communities
from bot.communities.roles import roles_of
from storage.models import Community
from tests.bot.conftest import queued
from tests.conftest import START


def create(db: Session, name: str = "python", channel: str = "C_PYTHON", purpose: str = "Python at work") -> Community:
    return create_community(db, name=name, purpose=purpose, channel_id=channel, creator="U_ADA", now=START)


def test_the_creator_becomes_coordinator_and_member_and_copbot_joins_the_channel(db: Session) -> None:
    community = create(db)
    assert roles_of(db, "U_ADA", community.id) == {"coordinator"}
    assert live_communities(db) == [(community, 1)]
    assert [(q.method, q.channel) for q in queued(db)] == [("conversations.join", "C_PYTHON")]


@pytest.mark.parametrize(
    ("name", "channel", "purpose", "why"),
    [
        ("Python!", "C_PYTHON", "p", "2–40 lowercase letters"),
        ("python", "C_PYTHON", "  ", "what the community is for"),
        ("python", "C_PYTHON", "x" * 301, "under 300 characters"),
        ("python", "D_DIRECT", "p", "not from a DM"),
    ],
)
def test_a_bad_create_is_refused_with_the_reason_and_stores_nothing(
    db: Session, name: str, channel: str, purpose: str, why: str
) -> None:
    with pytest.raises(Refused, match=why):
        create(db, name=name, channel=channel, purpose=purpose)
    assert db.scalar(select(func.count()).select_from(Community)) == 0
    assert queued(db) == []


def test_names_and_channels_are_taken_once_even_when_archived(db: Session) -> None:
    first = create(db)
    archive_community(db, first, now=START)
    with pytest.raises(
        Refused, match=r"already a community called `python`, archived: bring it back with `/cop unarchive python`"
    ):
        create(db, channel="C_OTHER")
    create(db, name="data", channel="C_DATA")
    with pytest.raises(Refused, match="already belongs to `data`"):
        create(db, name="analytics", channel="C_DATA")


def test_an_edit_with_problems_changes_nothing(db: Session) -> None:
    community = create(db)
    errors = edit_community(
        db, community, CommunityEdit(purpose="", description="d", links="x" * 1501, welcome_text="")
    )
    assert set(errors) == {"purpose", "links"}
    assert community.purpose == "Python at work" and community.description == ""
    assert edit_community(db, community, CommunityEdit("  New purpose ", "More", "", "Say hi")) == {}
    assert (community.purpose, community.description, community.welcome_text) == ("New purpose", "More", "Say hi")


def test_an_archived_community_is_hidden_but_kept(db: Session) -> None:
    community = create(db)
    archive_community(db, community, now=START)
    assert community_by_name(db, "python") is None and community_for_channel(db, "C_PYTHON") is None
    assert live_communities(db) == []
    assert db.get(Community, community.id) is not None
