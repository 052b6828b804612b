"""`message` events in community channels: counted per member and day, thread replies counted for
questions and discussion prompts; the text is never stored.

The busiest listener, so it is registered first and does the least: it hands the event to a
group commit (one transaction for all events that arrive together) and answers Slack once that
transaction has committed, so an acknowledged event is counted even if the process dies next.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import App
from sqlalchemy.orm import Session

from bot.communities.activity import ChannelMessage, MessageCounter
from bot.knowledge.questions import count_thread_reply
from bot.rhythms.prompts import count_prompt_reply
from handlers.services import Services

COUNTED_SUBTYPES = (None, "thread_broadcast", "file_share", "me_message")  # what a person writes
SLACKBOT = "USLACKBOT"  # posts reminders and the like with a user id and no bot_id


def register(bolt: App, services: Services) -> None:
    """Listen for channel messages."""

    counter = MessageCounter(services.sessions, services.clock, on_thread_reply=count_reply)

    @bolt.event("message")
    def handle_channel_message(event: dict[str, Any], body: dict[str, Any]) -> None:
        message = counted_message(event, body.get("event_id"))
        if message is not None:
            counter.count(message)


def count_reply(session: Session, channel_id: str, thread_ts: str, at: datetime) -> None:
    """A reply in a question's thread, else in a discussion prompt's."""
    if not count_thread_reply(session, channel_id=channel_id, thread_ts=thread_ts, at=at):
        count_prompt_reply(session, channel_id=channel_id, thread_ts=thread_ts)


def counted_message(event: dict[str, Any], event_id: Any) -> ChannelMessage | None:
    """What counting needs of a message event, or None for messages that are not a person's words."""
    user, ts = event.get("user"), event.get("ts")
    if event.get("subtype") not in COUNTED_SUBTYPES or event.get("bot_id") or user in (None, SLACKBOT):
        return None
    if not isinstance(user, str) or not isinstance(ts, str) or not isinstance(event.get("channel"), str):
        return None
    try:
        sent_at = datetime.fromtimestamp(float(ts), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    thread_ts = event.get("thread_ts")
    return ChannelMessage(
        event_id=event_id if isinstance(event_id, str) else None,
        channel_id=event["channel"],
        user_id=user,
        sent_at=sent_at,
        thread_ts=thread_ts if isinstance(thread_ts, str) and thread_ts != ts else None,
    )
