"""The App Home is gathered with the same few queries whether the viewer is in 3 communities or 30."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.communities.roles import assign_role
from bot.home.blocks import build_home
from bot.home.content import home_for
from bot.welcome.flow import join_community
from storage.models import Role
from tests.conftest import START
from tests.factories import add_community, add_member

UTC_ZONE = ZoneInfo("UTC")


@contextmanager
def statements_counted(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = session.get_bind()

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def viewer_in(db: Session, communities: int) -> int:
    for number in range(communities):
        community = add_community(db, name=f"c{communities}-{number}", channel_id=f"C{communities}x{number}", now=START)
        add_member(db, community=community, user_id=f"U_VIEW{communities}", now=START)
        role = [Role.SUPPORT, Role.RESOURCES, Role.COORDINATOR][number % 3]
        assign_role(db, community, user_id=f"U_VIEW{communities}", role=role, by="U_ADMIN", now=START, command="/cop")
    db.flush()
    db.expunge_all()
    with statements_counted(db) as seen:
        build_home(home_for(db, f"U_VIEW{communities}"), command="/cop")
    return len(seen)


def test_the_number_of_queries_does_not_grow_with_the_viewers_communities(db: Session) -> None:
    assert viewer_in(db, 3) == viewer_in(db, 30)


def test_who_greets_and_who_reviews_is_read_right_for_each_community(db: Session) -> None:
    greeted = add_community(db, name="greeted", channel_id="C1", now=START)  # U_ADMIN coordinates all three
    assign_role(db, greeted, user_id="U_CAROL", role=Role.SUPPORT, by="U_ADMIN", now=START, command="/cop")
    unstaffed = add_community(db, name="unstaffed", channel_id="C2", now=START)
    supported = add_community(db, name="supported", channel_id="C3", now=START)
    assign_role(db, supported, user_id="U_ADMIN", role=Role.SUPPORT, by="U_ADMIN", now=START, command="/cop")
    for community in (greeted, unstaffed, supported):
        join_community(db, community, user_id="U_NEW", source="command", now=START, command="/cop", zone=UTC_ZONE)
    db.flush()
    home = home_for(db, "U_ADMIN")
    assert sorted(community.name for _, community in home.waiting_welcomes) == ["supported", "unstaffed"]
    assert sorted(community.name for _, community in home_for(db, "U_CAROL").waiting_welcomes) == ["greeted"]
