"""Slack adapters, one module per feature: each parses payloads, calls the domain, renders, replies.

A feature module exposes `register(bolt, services)` for its events, buttons and modals, and,
when it answers `/cop` subcommands, a `subcommands` table declaring them with their handlers.
`activity` is the exception: message events never reach Bolt's listeners (see CopbotBolt).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.slack.ids import odd_ids
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
    rhythms,
    welcome,
)
from handlers.command_table import CommandTable
from handlers.services import Services

log = logging.getLogger(__name__)

# In the order their subcommands appear in help, within each audience.
COMMAND_FEATURES = (
    communities.subcommands,
    resources.subcommands,
    expertise.subcommands,
    questions.subcommands,
    rhythms.subcommands,
)


def command_table() -> CommandTable:
    """Every `/cop` subcommand, collected from the features that declare them."""
    return CommandTable(COMMAND_FEATURES)


# Put in a request's context by bot.web once the request's Slack signature checked out over its raw
# bytes (nothing else can put it there: Bolt builds the context from known body fields only).
SIGNATURE_CHECKED = "copbot_signature_checked"


class CopbotBolt(App):
    """Bolt, with `message` events answered before its middleware and listener matching
    (handlers.activity.take): they outnumber everything else many times over, and Bolt's work per
    request would cost more than counting them. HTTP and Socket Mode both dispatch through here.

    Before either: an HTTP request must carry bot.web's SIGNATURE_CHECKED (Bolt's own verification
    is off, so that the check happens once, before anything is parsed, and covers message events
    too), and a request whose ids are not shaped as Slack's is refused (bot.slack.ids).
    """

    def __init__(self, services: Services, **options: Any) -> None:
        super().__init__(**options)
        self._services = services

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        if req.mode == "http" and not req.context.get(SIGNATURE_CHECKED):
            log.warning("refused an HTTP request that did not come through bot.web's signature check")
            return BoltResponse(status=401, body={"error": "invalid signature"})
        odd = odd_ids(req.body)
        if odd:
            log.warning("refused a request whose ids are not shaped as Slack's: %s", ", ".join(odd))
            return BoltResponse(status=400, body={"error": "not a Slack payload"})
        taken = activity.take(self._services, req.body)
        return taken if taken is not None else super().dispatch(req)


def register_all(bolt: App, services: Services) -> None:
    """Register the middleware and every feature's listeners on the Bolt app."""
    middleware.register(bolt, services)
    errors.register(bolt)
    commands.register(bolt, services, command_table())
    for feature in (communities, welcome, home, resources, questions, rhythms):
        feature.register(bolt, services)
