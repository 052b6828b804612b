"""Resource search on SQLite FTS5 and PostgreSQL tsvector: words, tags, accents, order, paging."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import ManualClock
from storage.models import Community, Resource, ResourceTag
from storage.search import search_resources, searchable_text
from tests.factories import add_community


def add_resource(
    session: Session,
    community: Community,
    title: str,
    *,
    note: str = "",
    tags: tuple[str, ...] = (),
    pinned: bool = False,
    at: object,
    retired: bool = False,
) -> Resource:
    resource = Resource(
        community_id=community.id,
        kind="article",
        url=None,
        url_normalized=None,
        title=title,
        note=note,
        shared_by="U_BOB",
        shared_at=at,
        pinned=pinned,
        search_text=searchable_text(title=title, note=note, tags=list(tags)),
        tags=[ResourceTag(tag=tag) for tag in tags],
        retired_at=at if retired else None,
    )
    session.add(resource)
    session.flush()
    return resource


def titles(
    sessions: sessionmaker[Session],
    community_id: int,
    words: tuple[str, ...] | list[str] = (),
    tags: tuple[str, ...] | list[str] = (),
    offset: int = 0,
    limit: int = 10,
) -> tuple[list[str], int]:
    with sessions() as session:
        page = search_resources(
            session, community_id=community_id, words=list(words), tags=list(tags), offset=offset, limit=limit
        )
        return [r.title for r in page.resources], page.total


def seed(sessions: sessionmaker[Session], clock: ManualClock) -> int:
    with sessions.begin() as session:
        python = add_community(session, name="python", now=clock.now())
        other = add_community(session, name="data", channel_id="C_DATA", now=clock.now())
        t = clock.now()
        add_resource(session, python, "Testing with pytest", note="fixtures and parametrize", tags=("testing",), at=t)
        add_resource(
            session, python, "Packaging guide", note="wheels, sdists", tags=("packaging",), at=t + timedelta(hours=1)
        )
        add_resource(
            session,
            python,
            "Café culture for coders",
            note="remote pairing",
            tags=("culture",),
            at=t + timedelta(hours=2),
        )
        add_resource(
            session, python, "Pinned testing checklist", tags=("testing",), pinned=True, at=t - timedelta(days=9)
        )
        add_resource(session, python, "Retired testing advice", tags=("testing",), at=t, retired=True)
        add_resource(session, other, "Testing dashboards", tags=("testing",), at=t)
        return python.id


def test_one_word_matches_title_note_and_tags(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    python = seed(sessions, clock)
    assert titles(sessions, python, ["testing"]) == (["Pinned testing checklist", "Testing with pytest"], 2)
    assert titles(sessions, python, ["wheels"]) == (["Packaging guide"], 1)
    assert titles(sessions, python, ["culture"]) == (["Café culture for coders"], 1)


def test_every_word_must_match_in_any_case(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    python = seed(sessions, clock)
    assert titles(sessions, python, ["TESTING", "Fixtures"]) == (["Testing with pytest"], 1)
    assert titles(sessions, python, ["testing", "wheels"]) == ([], 0)


def test_words_match_as_prefixes(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    python = seed(sessions, clock)
    assert titles(sessions, python, ["pack"]) == (["Packaging guide"], 1)


def test_accents_are_folded_both_ways(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    python = seed(sessions, clock)
    assert titles(sessions, python, ["cafe"]) == (["Café culture for coders"], 1)
    assert titles(sessions, python, ["CAFÉ"]) == (["Café culture for coders"], 1)


def test_tags_filter_and_no_match(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    python = seed(sessions, clock)
    assert titles(sessions, python, tags=["testing"]) == (["Pinned testing checklist", "Testing with pytest"], 2)
    assert titles(sessions, python, ["guide"], tags=["testing"]) == ([], 0)
    assert titles(sessions, python, ["nonexistent"]) == ([], 0)


def test_pinned_first_then_newest_and_retired_hidden(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    python = seed(sessions, clock)
    assert titles(sessions, python)[0] == [
        "Pinned testing checklist",
        "Café culture for coders",
        "Packaging guide",
        "Testing with pytest",
    ]


def test_paging(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    with sessions.begin() as session:
        community = add_community(session, name="big", now=clock.now())
        for index in range(23):
            add_resource(session, community, f"Note {index:02d}", at=clock.now() + timedelta(minutes=index))
        community_id = community.id
    first, total = titles(sessions, community_id, ["note"], limit=10)
    third, _ = titles(sessions, community_id, ["note"], offset=20, limit=10)
    assert total == 23 and first[0] == "Note 22" and third == ["Note 02", "Note 01", "Note 00"]


def test_punctuation_in_queries_is_harmless(sessions: sessionmaker[Session], clock: ManualClock) -> None:
    python = seed(sessions, clock)
    assert titles(sessions, python, ['"testing', "AND", "(*)", "NEAR/2"]) == titles(
        sessions, python, ["testing", "and", "near", "2"]
    )
    assert titles(sessions, python, ["pack-guide"]) == (["Packaging guide"], 1), "split into prefixes pack, guide"
    assert titles(sessions, python, ['"pytest"'])[1] == 1
