"""The App Home tab, published when someone opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext

from bot.delivery.outbox import enqueue
from bot.home.blocks import build_home
from bot.home.content import home_for
from handlers.middleware import unit_of_work

if TYPE_CHECKING:
    from bot.app import Copbot


def register(copbot: Copbot) -> None:
    """Listen for app_home_opened."""

    @copbot.bolt.event("app_home_opened")
    def handle_app_home_opened(event: dict[str, Any], context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = event["user"]
        with unit_of_work(context) as session:
            if session is None:
                return
            view = build_home(home_for(session, user_id), command=copbot.settings.command)
            enqueue(
                session,
                method="views.publish",
                channel=f"home:{user_id}",
                payload={"user_id": user_id, "view": view},
                kind="app_home",
                now=copbot.clock.now(),
            )
