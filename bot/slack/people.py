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
    left_out: frozenset[str] = frozenset()  # the ids asked to be left out that are in the channel

    @property
    def invisible(self) -> bool:
        """Slack would not show the channel at all: a private channel copbot has not been invited to."""
        return self.error == "channel_not_found"


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
        retry_after_failure_seconds: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._configured = configured_admins
        self._ttl = ttl_seconds
        self._retry_after_failure = retry_after_failure_seconds
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, Person]] = {}  # what Slack last said, and when
        self._failed_at: dict[str, float] = {}  # when Slack last could not say
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
        present: set[str] = set()
        cursor = ""
        deadline = self._monotonic() + CHANNEL_BUDGET_SECONDS
        while True:
            try:
                page = self._client.conversations_members(channel=channel_id, limit=CHANNEL_PAGE, cursor=cursor or None)
            except SlackApiError as error:
                return ChannelMembers(found, False, str(error.response.get("error") or "error"))
            except (TimeoutError, OSError):
                return ChannelMembers(found, False, "Slack did not answer in time")
            members = [str(user) for user in page.get("members") or []]
            found.extend(user for user in members if user not in leave_out)
            present.update(user for user in members if user in leave_out)
            cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                return ChannelMembers(list(dict.fromkeys(found)), True, left_out=frozenset(present))
            if self._monotonic() > deadline:
                too_big = "the channel is too big to read at once"
                return ChannelMembers(list(dict.fromkeys(found)), False, too_big, frozenset(present))

    def zone_of(self, user_id: str) -> ZoneInfo | None:
        """The person's time zone as Slack knows it; None when Slack gives none (or cannot say)."""
        person = self.lookup(user_id)
        if person is None or not person.tz:
            return None
        try:
            return ZoneInfo(person.tz)
        except (ZoneInfoNotFoundError, ValueError):
            return None

    def forget(self, user_id: str) -> None:
        """Drop what is cached about a person (Slack told us they changed)."""
        with self._lock:
            self._cache.pop(user_id, None)
            self._failed_at.pop(user_id, None)

    def lookup(self, user_id: str) -> Person | None:
        """The person, from cache or `users.info`; None when Slack cannot say and never did.

        When Slack fails, what it said last still counts (an admin stays an admin through an
        outage), and Slack is asked again after a few seconds, not a minute: an admin is never
        refused for long after Slack recovers. Handlers call this before opening a transaction,
        so no Slack call ever happens while the database is locked.
        """
        now = self._monotonic()
        with self._lock:
            cached = self._cache.get(user_id)
            failed_at = self._failed_at.get(user_id)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        if failed_at is not None and now - failed_at < self._retry_after_failure:
            return cached[1] if cached else None
        person = self._ask_slack(user_id)
        with self._lock:
            if person is None:
                self._failed_at[user_id] = now
            else:
                self._failed_at.pop(user_id, None)
                self._cache[user_id] = (now, person)
        if person is None and cached is not None:
            return cached[1]
        return person

    def _ask_slack(self, user_id: str) -> Person | None:
        try:
            user = self._client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            log.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
            return None
        except (TimeoutError, OSError) as error:
            log.warning("users.info failed for %s: %s", user_id, error)
            return None
        return Person(
            user_id=user_id,
            is_admin=bool(user.get("is_admin") or user.get("is_owner")),
            is_bot=bool(user.get("is_bot")) or user_id == "USLACKBOT",
            deleted=bool(user.get("deleted")),
            tz=str(user.get("tz") or ""),
        )
