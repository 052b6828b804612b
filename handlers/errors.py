"""The app-wide error handler: log the traceback, tell the user something went wrong.

A write that could not start in time (`DatabaseBusy`: another writer held the database longer
than Slack waits for an answer) is no bug: nothing was done, and the person is told to try again.
An event gets 503, so Slack delivers it again later.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk.webhook import WebhookClient

from storage.errors import DatabaseBusy

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side and nothing was changed. Please try again in a moment."
BUSY = "I'm busy with a lot at once right now and nothing was changed. Please try again in a moment."


def register(bolt: App) -> None:
    """Install the global error handler."""

    @bolt.error
    def handle_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        return answer_error(error, body)


def answer_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """The answer to a request whose handling raised `error`: busy, or sorry (logged with its traceback)."""
    kind = body.get("type") or "slash command"
    if isinstance(error, DatabaseBusy):
        log.warning("answered busy to a %s request: %s", kind, error)
        return busy_answer(body)
    log.exception("unhandled error for a %s request", kind, exc_info=error)
    if "command" in body:
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": SORRY})
    return BoltResponse(status=500, body="")


def busy_answer(body: dict[str, Any]) -> BoltResponse:
    """What the person sees when the database was too busy: the command's reply, the form's first
    field error (the form stays open, filled in), or for a click a private note through its
    response_url (Slack never sends a click again); an event gets 503, and Slack delivers it again."""
    if "command" in body:
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": BUSY})
    if body.get("type") == "block_actions" and isinstance(body.get("response_url"), str):
        try:  # the outbox cannot take it (the database is busy): one short, direct try
            WebhookClient(body["response_url"], timeout=1, retry_handlers=[]).send(
                text=BUSY, response_type="ephemeral", replace_original=False
            )
        except (OSError, TimeoutError) as error:
            log.warning("could not tell a clicker the database was busy: %s", error)
        return BoltResponse(status=200, body="")
    if body.get("type") == "view_submission":
        fields = [
            block.get("block_id")
            for block in (body.get("view") or {}).get("blocks", [])
            if block.get("type") == "input"
        ]
        if fields and isinstance(fields[0], str):
            return BoltResponse(status=200, body={"response_action": "errors", "errors": {fields[0]: BUSY}})
    return BoltResponse(status=503, body="")
