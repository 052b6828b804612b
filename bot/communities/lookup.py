"""Finding communities and memberships: the queries handlers, features and jobs share."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import Session

from storage.models import Community, Membership, RoleAssignment


def community_by_id(session: Session, community_id: int) -> Community | None:
    """The community with that id, archived or not."""
    return session.get(Community, community_id)


def lock_community(session: Session, community: Community) -> None:
    """Take the community's row lock until the transaction ends (PostgreSQL), so that changes checked
    against the community's state happen one at a time; SQLite writers are one at a time already."""
    session.execute(select(Community.id).where(Community.id == community.id).with_for_update())


def community_name(typed: str) -> str:
    """A typed name as names are stored and compared: Unicode-normalised (NFKC, so full-width `ｐｙｔｈｏｎ`
    is `python`) and lowercased. Whether it is a valid name at all is `lifecycle.name_problem`'s call."""
    return unicodedata.normalize("NFKC", typed).lower()


def community_by_name(session: Session, name: str) -> Community | None:
    """The live (not archived) community with that name, as typed."""
    return session.scalar(
        select(Community).where(Community.name == community_name(name), Community.archived_at.is_(None))
    )


def archived_community_names(session: Session, *, limit: int = 10) -> tuple[list[str], int]:
    """Some archived communities' names (the latest archived first), and how many there are."""
    archived = Community.archived_at.is_not(None)
    names = session.scalars(select(Community.name).where(archived).order_by(Community.archived_at.desc()).limit(limit))
    total = session.scalar(select(func.count()).select_from(Community).where(archived))
    return list(names), int(total or 0)


def any_community_by_name(session: Session, name: str) -> Community | None:
    """The community with that name, as typed, archived or not (names stay taken in the archive)."""
    return session.scalar(select(Community).where(Community.name == community_name(name)))


def archived_community_for_channel(session: Session, channel_id: str) -> Community | None:
    """The community most recently archived in a channel, if any."""
    return session.scalar(
        select(Community)
        .where(Community.channel_id == channel_id, Community.archived_at.is_not(None))
        .order_by(Community.archived_at.desc())
        .limit(1)
    )


def community_for_channel(session: Session, channel_id: str) -> Community | None:
    """The live community linked to a channel, if any."""
    return session.scalar(select(Community).where(Community.channel_id == channel_id, Community.archived_at.is_(None)))


def live_community_names(session: Session) -> list[str]:
    """Names of all communities that are not archived."""
    return list(session.scalars(select(Community.name).where(Community.archived_at.is_(None))))


# Built once and run with parameters: /cop list is asked often, and building the statement cost
# more than running it. Member counts are counted per community shown (an index range each), not
# for every community at once.
_MEMBERS = (
    select(func.count())
    .where(Membership.community_id == Community.id, Membership.left_at.is_(None))
    .correlate(Community)
    .scalar_subquery()
)
_LIVE_PAGE = (
    select(Community, _MEMBERS)
    .where(Community.archived_at.is_(None), Community.id.not_in(bindparam("excluding", expanding=True)))
    .order_by(Community.name)
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)
_LIVE_COUNT = select(func.count()).select_from(Community).where(Community.archived_at.is_(None))
_LIVE_LISTING = (  # a page and how many there are in all, in one statement
    select(Community, _MEMBERS, func.count().over())
    .where(Community.archived_at.is_(None))
    .order_by(Community.name)
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)
NO_LIMIT = 2**31 - 1


def live_communities(
    session: Session, *, offset: int = 0, limit: int | None = None, excluding: Collection[int] = ()
) -> list[tuple[Community, int]]:
    """Communities not archived (but those `excluding`), with their member counts, by name (a page
    of them, with `limit`)."""
    parameters = {"offset": offset, "limit": NO_LIMIT if limit is None else limit, "excluding": list(excluding)}
    return [(community, int(members)) for community, members in session.execute(_LIVE_PAGE, parameters)]


def live_community_listing(session: Session, *, offset: int, limit: int) -> tuple[list[tuple[Community, int]], int]:
    """A page of live communities with their member counts, by name, and how many live communities there are."""
    rows = session.execute(_LIVE_LISTING, {"offset": offset, "limit": limit}).all()
    if not rows:  # past the end (or none at all): the window counted nothing
        return [], live_community_count(session)
    return [(community, int(members)) for community, members, _ in rows], int(rows[0][2])


def live_community_count(session: Session) -> int:
    """How many communities are not archived."""
    return int(session.scalar(_LIVE_COUNT) or 0)


def communities_of(session: Session, user_id: str) -> list[Community]:
    """The live communities a user is a member of, by name."""
    return list(
        session.scalars(
            select(Community)
            .join(Membership, Membership.community_id == Community.id)
            .where(Membership.user_id == user_id, Membership.left_at.is_(None), Community.archived_at.is_(None))
            .order_by(Community.name)
        )
    )


def member_count(session: Session, community: Community) -> int:
    """How many people are members now."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.community_id == community.id, Membership.left_at.is_(None))
        )
        or 0
    )


def active_members(session: Session, community: Community) -> list[Membership]:
    """Current memberships, oldest first."""
    return list(
        session.scalars(
            select(Membership)
            .where(Membership.community_id == community.id, Membership.left_at.is_(None))
            .order_by(Membership.joined_at, Membership.id)
        )
    )


def member_page(session: Session, community: Community, *, offset: int, limit: int) -> tuple[list[str], int]:
    """A page of the current members' ids (core group first, then in order of joining), and how many there are."""
    current = (Membership.community_id == community.id, Membership.left_at.is_(None))
    holds_a_role = (
        exists()
        .where(RoleAssignment.community_id == community.id, RoleAssignment.user_id == Membership.user_id)
        .correlate(Membership)
    )
    page = session.scalars(
        select(Membership.user_id)
        .where(*current)
        .order_by(holds_a_role.desc(), Membership.joined_at, Membership.id)
        .offset(offset)
        .limit(limit)
    ).all()
    total = session.scalar(select(func.count()).select_from(Membership).where(*current))
    return list(page), int(total or 0)


def is_active_member(session: Session, user_id: str, community_id: int) -> bool:
    """True while the user has a membership that has not ended."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    Membership.community_id == community_id,
                    Membership.user_id == user_id,
                    Membership.left_at.is_(None),
                )
            )
        )
    )


def is_member_anywhere(session: Session, user_id: str) -> bool:
    """True when the user is an active member of any community."""
    return bool(session.scalar(select(exists().where(Membership.user_id == user_id, Membership.left_at.is_(None)))))
