"""`message` events in community channels: counted per member and day, thread replies counted for
questions and discussion prompts; the text is never stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltContext

from bot.communities.activity import count_message
from bot.communities.lookup import community_for_channel
from bot.knowledge.questions import count_thread_reply
from bot.rhythms.prompts import count_prompt_reply
from handlers.middleware import unit_of_work
from handlers.services import Services

COUNTED_SUBTYPES = (None, "thread_broadcast", "file_share", "me_message")  # what a person writes
SLACKBOT = "USLACKBOT"  # posts reminders and the like with a user id and no bot_id


def register(bolt: App, services: Services) -> None:
    """Listen for channel messages."""

    @bolt.event("message")
    def handle_channel_message(event: dict[str, Any], context: BoltContext) -> None:
        if event.get("subtype") not in COUNTED_SUBTYPES or event.get("bot_id") or event.get("user") in (None, SLACKBOT):
            return
        with unit_of_work(services, context) as session:
            if session is None:
                return
            community = community_for_channel(session, event.get("channel", ""))
            if community is None:
                return
            sent_at = datetime.fromtimestamp(float(event["ts"]), tz=UTC)
            count_message(session, community=community, user_id=event["user"], at=sent_at)
            thread_ts = event.get("thread_ts")
            if thread_ts and thread_ts != event["ts"]:
                counted = count_thread_reply(session, channel_id=community.channel_id, thread_ts=thread_ts, at=sent_at)
                if not counted:
                    count_prompt_reply(session, channel_id=community.channel_id, thread_ts=thread_ts)
