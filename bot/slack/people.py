"""What copbot knows about Slack users: admin rights, bots, deactivated accounts, time zones.

`users.info` answers are cached so the 3-second ack path asks Slack at most once
per person every few minutes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    """The facts about a Slack user that copbot acts on."""

    user_id: str
    is_admin: bool
    is_bot: bool
    deleted: bool
    tz: str  # IANA name; empty when Slack gives none


@dataclass(frozen=True)
class ChannelMembers:
    """Who is in a channel, as far as Slack said: `complete` is false when it stopped answering part-way."""

    user_ids: list[str]
    complete: bool
    error: str | None = None


CHANNEL_PAGE = 1000  # conversations.members' largest page
CHANNEL_BUDGET_SECONDS = 1.5  # the slash command must still answer within Slack's 3 seconds


class PeopleDirectory:
    """Cached `users.info`, plus `COPBOT_ADMINS`."""

    def __init__(
        self,
        *,
        client: WebClient,
        configured_admins: frozenset[str],
        ttl_seconds: float = 600.0,
        failure_ttl_seconds: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._configured = configured_admins
        self._ttl = ttl_seconds
        self._failure_ttl = failure_ttl_seconds
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, Person | None]] = {}
        self._lock = threading.Lock()

    def is_admin(self, user_id: str) -> bool:
        """True for `COPBOT_ADMINS` and Slack workspace admins/owners."""
        if user_id in self._configured:
            return True
        person = self.lookup(user_id)
        return person is not None and person.is_admin

    def is_human(self, user_id: str) -> bool:
        """False for bots and deactivated accounts (unknown users count as human)."""
        person = self.lookup(user_id)
        return person is None or not (person.is_bot or person.deleted)

    def channel_members(self, channel_id: str, *, leave_out: set[str]) -> ChannelMembers:
        """The channel's members (`conversations.members`, paged), within a time budget, without `leave_out`."""
        found: list[str] = []
        cursor = ""
        deadline = self._monotonic() + CHANNEL_BUDGET_SECONDS
        while True:
            try:
                page = self._client.conversations_members(channel=channel_id, limit=CHANNEL_PAGE, cursor=cursor or None)
            except SlackApiError as error:
                return ChannelMembers(found, False, str(error.response.get("error") or "error"))
            except (TimeoutError, OSError):
                return ChannelMembers(found, False, "Slack did not answer in time")
            found.extend(str(user) for user in page.get("members") or [] if str(user) not in leave_out)
            cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                return ChannelMembers(list(dict.fromkeys(found)), True)
            if self._monotonic() > deadline:
                return ChannelMembers(list(dict.fromkeys(found)), False, "the channel is too big to read at once")

    def zone_of(self, user_id: str) -> ZoneInfo | None:
        """The person's time zone as Slack knows it; None when Slack gives none (or cannot say)."""
        person = self.lookup(user_id)
        if person is None or not person.tz:
            return None
        try:
            return ZoneInfo(person.tz)
        except (ZoneInfoNotFoundError, ValueError):
            return None

    def lookup(self, user_id: str) -> Person | None:
        """The person, from cache or `users.info`; None when Slack cannot say (remembered for a minute).

        Handlers call this before opening a transaction, so no Slack call ever
        happens while the database is locked.
        """
        now = self._monotonic()
        with self._lock:
            cached = self._cache.get(user_id)
        if cached is not None:
            fetched_at, person = cached
            if now - fetched_at < (self._ttl if person is not None else self._failure_ttl):
                return person
        person = self._ask_slack(user_id)
        with self._lock:
            self._cache[user_id] = (now, person)
        return person

    def _ask_slack(self, user_id: str) -> Person | None:
        try:
            user = self._client.users_info(user=user_id)["user"]
        except (SlackApiError, TimeoutError, OSError):
            log.warning("users.info failed for %s", user_id, exc_info=True)
            return None
        return Person(
            user_id=user_id,
            is_admin=bool(user.get("is_admin") or user.get("is_owner")),
            is_bot=bool(user.get("is_bot")) or user_id == "USLACKBOT",
            deleted=bool(user.get("deleted")),
            tz=str(user.get("tz") or ""),
        )
