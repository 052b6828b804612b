"""Welcomes that nobody claimed: raising them to the coordinators, once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.outbox import post_message
from bot.text import escape
from storage.models import Community, Membership, Role, WelcomeAlert
from storage.queries import role_holders

UNCLAIMED_AFTER = timedelta(hours=24)
CLAIM_ACTION = "welcome_claim"


def unclaimed_welcomes_due(session: Session, now: datetime) -> list[tuple[WelcomeAlert, Community]]:
    """Welcomes unclaimed for 24 h, not yet escalated, whose newcomer is still a member."""
    rows = session.execute(
        select(WelcomeAlert, Community)
        .join(Community, Community.id == WelcomeAlert.community_id)
        .join(Membership, Membership.id == WelcomeAlert.membership_id)
        .where(
            WelcomeAlert.claimed_at.is_(None),
            WelcomeAlert.escalated_at.is_(None),
            WelcomeAlert.created_at <= now - UNCLAIMED_AFTER,
            Membership.left_at.is_(None),
            Community.archived_at.is_(None),
        )
        .order_by(WelcomeAlert.id)
    ).all()
    return [(alert, community) for alert, community in rows]


def escalate_unclaimed_welcomes(session: Session, now: datetime) -> int:
    """DM the coordinators about each newcomer nobody claimed; returns how many were raised."""
    raised = 0
    for alert, community in unclaimed_welcomes_due(session, now):
        for coordinator in role_holders(session, community.id, Role.COORDINATOR):
            post_message(
                session,
                channel=coordinator,
                text=f"Nobody has welcomed <@{alert.newcomer_id}> to {escape(community.name)} yet.",
                blocks=build_escalation_blocks(alert, community, now),
                kind="welcome_escalation",
                now=now,
                dedupe_key=f"welcome-escalation:{alert.id}:{coordinator}",
            )
        alert.escalated_at = now
        raised += 1
    return raised


def build_escalation_blocks(alert: WelcomeAlert, community: Community, now: datetime) -> list[dict[str, Any]]:
    """The coordinator's DM about an unclaimed newcomer, with the claim button."""
    hours = int((now - alert.created_at).total_seconds() // 3600)
    return [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": (
                    f":wave: <@{alert.newcomer_id}> joined *{escape(community.name)}* {hours} hours ago "
                    "and nobody has welcomed them yet. Could you say hello, or ask someone to?"
                ),
            },
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "style": "primary",
                    "text": {"type": "plain_text", "text": "I'll welcome them"},
                    "action_id": CLAIM_ACTION,
                    "value": str(alert.id),
                }
            ],
        },
    ]
