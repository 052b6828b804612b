"""What listeners are given: a small typed set of services, never the whole app."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.communities.activity import MessageCounter
from bot.slack.limits import fit_view
from bot.slack.people import PeopleDirectory

log = logging.getLogger(__name__)


class Modals:
    """Opens modals: one short Slack call (a trigger_id lives 3 seconds), made outside any transaction."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def open(self, trigger_id: str | None, view: dict[str, Any]) -> bool:
        """Open a modal for a trigger; False (logged) when Slack refuses or does not answer in time."""
        try:
            self._client.views_open(trigger_id=trigger_id, view=fit_view(view))
        except (SlackApiError, TimeoutError, OSError) as error:
            log.warning("views.open failed: %s", error)
            return False
        return True


@dataclass(frozen=True)
class Services:
    """Everything a listener may use: sessions, time, who people are, modals, and the settings it reads."""

    sessions: sessionmaker[Session]  # units of work that write
    reads: sessionmaker[Session]  # units of work that only read: they never wait for a writer
    clock: Clock
    messages: MessageCounter  # counts message events in group commits
    people: PeopleDirectory
    modals: Modals
    command: str  # the slash command's name, for usage lines
    zone: ZoneInfo  # COPBOT_TIMEZONE: schedules' zone unless a coordinator set another
    greet_workspace_joiners: bool
    workspace_url: str | None  # auth.test's url, for links to messages
    bot_user_id: str | None  # copbot's own user
