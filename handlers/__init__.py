"""Slack adapters: each feature module exposes `register(copbot)`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import Copbot


def register_all(copbot: Copbot) -> None:
    """Register the middleware and every feature's listeners on the Bolt app."""
    from handlers import (
        activity,
        commands,
        communities,
        errors,
        expertise,
        home,
        middleware,
        questions,
        resources,
        welcome,
    )

    middleware.register(copbot)
    errors.register(copbot)
    commands.register(copbot)
    communities.register(copbot)
    welcome.register(copbot)
    home.register(copbot)
    resources.register(copbot)
    questions.register(copbot)
    expertise.register(copbot)
    activity.register(copbot)
