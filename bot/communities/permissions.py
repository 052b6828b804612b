"""Every permission rule in one place: what a person may do, in a community or anywhere.

Rules read roles and memberships from the database; workspace admins (Slack admins and
owners, and `COPBOT_ADMINS`) may do anything a coordinator may. Admin status is asked
last, because it may cost a Slack call.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Protocol

from sqlalchemy.orm import Session

from bot.communities.lookup import is_active_member, is_member_anywhere
from bot.communities.roles import roles_of
from storage.models import Community, Role


class Audience(IntEnum):
    """Who may do something, from widest to narrowest."""

    ANYONE = 0
    MEMBER = 1
    EDITOR = 2  # coordinator or webadmin
    COORDINATOR = 3
    ADMIN = 4


class Admins(Protocol):
    """Tells whether a person is a workspace admin (Slack admin or owner, or in `COPBOT_ADMINS`)."""

    def is_admin(self, user_id: str) -> bool: ...


NEEDED_ROLE = {
    Audience.MEMBER: "a member of {name}",
    Audience.EDITOR: "a coordinator or website administrator (`webadmin`) of {name}",
    Audience.COORDINATOR: "a coordinator of {name}",
    Audience.ADMIN: "a workspace admin",
}


def audience_in(session: Session, *, user_id: str, community: Community | None) -> Audience:
    """The widest audience the caller belongs to, by roles and membership only (no admin check)."""
    roles = roles_of(session, user_id, community.id if community else None)
    if Role.COORDINATOR in roles:
        return Audience.COORDINATOR
    if Role.WEBADMIN in roles:
        return Audience.EDITOR
    if community is not None and is_active_member(session, user_id, community.id):
        return Audience.MEMBER
    if community is None and (roles or is_member_anywhere(session, user_id)):
        return Audience.MEMBER
    return Audience.ANYONE


def may(session: Session, admins: Admins, *, user_id: str, need: Audience, community: Community | None) -> bool:
    """True when the caller may act at `need` level; asks about admins only when roles fall short."""
    if need == Audience.ANYONE or audience_in(session, user_id=user_id, community=community) >= need:
        return True
    return admins.is_admin(user_id)


def widest_audience(session: Session, admins: Admins, *, user_id: str) -> Audience:
    """What the caller may do anywhere, for grouping help."""
    if admins.is_admin(user_id):
        return Audience.ADMIN
    return audience_in(session, user_id=user_id, community=None)


def refusal(need: Audience, community: Community | None, *, command: str = "/cop") -> str:
    """A refusal that names the role needed."""
    name = f"*{community.name}*" if community else "this community"
    role = NEEDED_ROLE[need].format(name=name)
    admin_too = " (or a workspace admin)" if need in (Audience.EDITOR, Audience.COORDINATOR) else ""
    join_hint = f" Join with `{command} join {community.name}`." if need == Audience.MEMBER and community else ""
    return f"Sorry, only {role}{admin_too} can do that.{join_hint}"


def may_support_members(session: Session, admins: Admins, *, user_id: str, community_id: int) -> bool:
    """Member support and coordinators (and admins) may take a member on: welcome a newcomer, reach out to
    someone who could use help."""
    return _holds_any(
        session, admins, user_id=user_id, community_id=community_id, roles={Role.SUPPORT, Role.COORDINATOR}
    )


def may_review(session: Session, admins: Admins, *, user_id: str, community_id: int) -> bool:
    """Information-resources holders and coordinators (and admins) may pin, retag and retire resources."""
    return _holds_any(
        session, admins, user_id=user_id, community_id=community_id, roles={Role.RESOURCES, Role.COORDINATOR}
    )


def may_mark_answered(session: Session, admins: Admins, *, user_id: str, community_id: int, asked_by: str) -> bool:
    """The asker and the coordinators (and admins) may mark a question answered."""
    if user_id == asked_by:
        return True
    return _holds_any(session, admins, user_id=user_id, community_id=community_id, roles={Role.COORDINATOR})


def _holds_any(session: Session, admins: Admins, *, user_id: str, community_id: int, roles: set[Role]) -> bool:
    return bool(roles_of(session, user_id, community_id) & roles) or admins.is_admin(user_id)
