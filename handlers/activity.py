"""`message` events in community channels: counted per member and day, thread replies counted for
questions and discussion prompts; the text is never stored.

Message events outnumber every other request many times over, and need nothing Bolt gives a
listener (no say, no client, no reply): `take` answers them before Bolt's middleware and listener
matching (see CopbotBolt), over HTTP and Socket Mode alike. It hands the event to a group commit
(one transaction for all events that arrive together) and answers once that transaction has
committed, so an acknowledged event is counted even if the process dies next.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy.orm import Session

from bot.communities.activity import ChannelMessage
from bot.knowledge.questions import count_thread_reply
from bot.rhythms.prompts import count_prompt_reply
from handlers.errors import answer_error
from handlers.services import Services

COUNTED_SUBTYPES = (None, "thread_broadcast", "file_share", "me_message")  # what a person writes
SLACKBOT = "USLACKBOT"  # posts reminders and the like with a user id and no bot_id


def take(services: Services, body: dict[str, Any]) -> BoltResponse | None:
    """The answer to a `message` event, once it is counted (if it counts); None for any other request."""
    event = body.get("event")
    if body.get("type") != "event_callback" or not isinstance(event, dict) or event.get("type") != "message":
        return None
    message = counted_message(event, body.get("event_id"), bot_user_id=services.bot_user_id)
    if message is not None:
        try:
            services.messages.count(message)
        except Exception as error:  # as Bolt's error handler would answer: busy is 503, Slack retries
            return answer_error(error, body)
    return BoltResponse(status=200, body="")


def count_reply(session: Session, channel_id: str, thread_ts: str, at: datetime) -> None:
    """A reply in a question's thread, else in a discussion prompt's (the MessageCounter's `on_thread_reply`)."""
    if not count_thread_reply(session, channel_id=channel_id, thread_ts=thread_ts, at=at):
        count_prompt_reply(session, channel_id=channel_id, thread_ts=thread_ts)


def counted_message(event: dict[str, Any], event_id: Any, *, bot_user_id: str | None = None) -> ChannelMessage | None:
    """What counting needs of a message event, or None for messages that are not a person's words.
    (Its ids are shaped as Slack's: CopbotBolt refuses requests with any others.)"""
    user, ts, channel = event.get("user"), event.get("ts"), event.get("channel")
    if event.get("subtype") not in COUNTED_SUBTYPES or event.get("bot_id") or user in (None, SLACKBOT, bot_user_id):
        return None
    if not isinstance(user, str) or not isinstance(ts, str) or not isinstance(channel, str):
        return None
    try:
        sent_at = datetime.fromtimestamp(float(ts), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    thread_ts = event.get("thread_ts")
    return ChannelMessage(
        event_id=event_id if isinstance(event_id, str) else None,
        channel_id=channel,
        user_id=user,
        sent_at=sent_at,
        thread_ts=thread_ts if isinstance(thread_ts, str) and thread_ts != ts else None,
    )
