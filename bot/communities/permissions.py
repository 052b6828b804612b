"""The one permission check: what a caller may do, in a community or anywhere."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.commands import Audience
from bot.communities.lookup import is_active_member, is_member_anywhere, roles_of
from bot.slack.people import PeopleDirectory
from storage.models import Community, Role

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


def may(
    session: Session, people: PeopleDirectory, *, user_id: str, need: Audience, community: Community | None
) -> bool:
    """True when the caller may act at `need` level; asks Slack about admins only when roles fall short."""
    if need == Audience.ANYONE or audience_in(session, user_id=user_id, community=community) >= need:
        return True
    return people.is_admin(user_id)


def widest_audience(session: Session, people: PeopleDirectory, *, user_id: str) -> Audience:
    """What the caller may do anywhere, for grouping help."""
    if people.is_admin(user_id):
        return Audience.ADMIN
    return audience_in(session, user_id=user_id, community=None)


def refusal(need: Audience, community: Community | None, *, command: str = "/cop") -> str:
    """A refusal that names the role needed."""
    name = f"*{community.name}*" if community else "this community"
    role = NEEDED_ROLE[need].format(name=name)
    admin_too = " (or a workspace admin)" if need in (Audience.EDITOR, Audience.COORDINATOR) else ""
    join_hint = f" Join with `{command} join {community.name}`." if need == Audience.MEMBER and community else ""
    return f"Sorry, only {role}{admin_too} can do that.{join_hint}"
