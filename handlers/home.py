"""The App Home tab, published when someone opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.home.content import publish_home
from handlers.middleware import unit_of_work
from handlers.services import Services


def register(bolt: App, services: Services) -> None:
    """Listen for app_home_opened."""

    @bolt.event("app_home_opened")
    def handle_app_home_opened(event: dict[str, Any], context: BoltContext) -> None:
        if event.get("tab", "home") != "home":
            return
        with unit_of_work(services, context) as session:
            if session is None:
                return
            publish_home(session, user_id=event["user"], now=services.clock.now(), command=services.command)
