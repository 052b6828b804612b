"""Gathering and publishing a person's App Home: their communities and roles, their communities' health
(coordinators), welcomes waiting, review queue, latest resources."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.communities.lookup import communities_of, live_communities, live_community_count
from bot.delivery.outbox import enqueue
from bot.home.blocks import OTHERS_SHOWN, SHOWN, HomeData, build_home
from bot.rhythms.digest import latest_headlines
from storage.models import Community, Membership, Resource, Role, RoleAssignment, WelcomeAlert


def publish_home(session: Session, *, user_id: str, now: datetime, command: str) -> None:
    """Queue a fresh App Home for the person."""
    enqueue(
        session,
        method="views.publish",
        channel=f"home:{user_id}",
        payload={"user_id": user_id, "view": build_home(home_for(session, user_id), command=command)},
        kind="app_home",
        now=now,
        supersedes_pending=True,
    )


def home_for(session: Session, user_id: str) -> HomeData:
    """Gather the viewer's App Home."""
    data = HomeData()
    mine = communities_of(session, user_id)
    roles: dict[int, list[str]] = {}
    for community_id, role in session.execute(
        select(RoleAssignment.community_id, RoleAssignment.role).where(RoleAssignment.user_id == user_id)
    ):
        roles.setdefault(community_id, []).append(role)
    data.memberships = [(community, roles.get(community.id, [])) for community in mine]
    # Who greets (member support, else the coordinators) and who reviews (information resources, else
    # the coordinators): one query for all the viewer's communities, whatever their number.
    staffed = {
        (community_id, role)
        for community_id, role in session.execute(
            select(RoleAssignment.community_id, RoleAssignment.role)
            .where(
                RoleAssignment.community_id.in_([community.id for community in mine]),
                RoleAssignment.role.in_([Role.SUPPORT, Role.RESOURCES]),
            )
            .distinct()
        )
    }

    def does(community: Community, role: Role) -> bool:
        held = roles.get(community.id, [])
        return role in held or (Role.COORDINATOR in held and (community.id, role) not in staffed)

    welcoming = [c for c in mine if does(c, Role.SUPPORT)]
    reviewing = [c for c in mine if does(c, Role.RESOURCES)]
    data.waiting_welcomes = _waiting_welcomes(session, welcoming)
    data.review_queue = _review_queue(session, reviewing)
    data.latest_resources = _latest_resources(session, mine)
    coordinating = [c for c in mine if Role.COORDINATOR in roles.get(c.id, [])]
    snapshots = latest_headlines(session, coordinating)
    data.health = [(community, snapshots.get(community.id)) for community in coordinating]
    mine_ids = {community.id for community in mine}
    data.other_communities = live_communities(session, limit=OTHERS_SHOWN, excluding=mine_ids)
    data.other_total = live_community_count(session) - len(mine)
    return data


def _waiting_welcomes(session: Session, communities: list[Community]) -> list[tuple[WelcomeAlert, Community]]:
    if not communities:
        return []
    by_id = {community.id: community for community in communities}
    alerts = session.scalars(
        select(WelcomeAlert)
        .join(Membership, Membership.id == WelcomeAlert.membership_id)
        .where(WelcomeAlert.community_id.in_(by_id), WelcomeAlert.claimed_at.is_(None), Membership.left_at.is_(None))
        .order_by(WelcomeAlert.created_at)
        .limit(SHOWN + 1)  # one more than shown: the view says there are more
    )
    return [(alert, by_id[alert.community_id]) for alert in alerts]


def _review_queue(session: Session, communities: list[Community]) -> list[tuple[Resource, Community]]:
    if not communities:
        return []
    by_id = {community.id: community for community in communities}
    resources = session.scalars(
        select(Resource)
        .where(Resource.community_id.in_(by_id), Resource.reviewed_at.is_(None), Resource.retired_at.is_(None))
        .order_by(Resource.shared_at)
        .limit(SHOWN + 1)
    )
    return [(resource, by_id[resource.community_id]) for resource in resources]


def _latest_resources(session: Session, communities: list[Community]) -> list[tuple[Resource, Community]]:
    if not communities:
        return []
    by_id = {community.id: community for community in communities}
    resources = session.scalars(
        select(Resource)
        .where(Resource.community_id.in_(by_id), Resource.retired_at.is_(None))
        .order_by(Resource.shared_at.desc(), Resource.id.desc())
        .limit(8)
    )
    return [(resource, by_id[resource.community_id]) for resource in resources]
