"""The app-wide error handler: log the traceback, tell the user something went wrong."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side and nothing was changed. Please try again in a moment."


def register(bolt: App) -> None:
    """Install the global error handler."""

    @bolt.error
    def handle_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        log.exception("unhandled error for a %s request", body.get("type") or "slash command", exc_info=error)
        if "command" in body:
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": SORRY})
        return BoltResponse(status=500, body="")
