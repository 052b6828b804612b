"""The simulated Slack workspace behind the stand-in: users, channels and their messages."""

from __future__ import annotations

import copy
import itertools
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.sandbox.standin.viewstore import ViewStore


@dataclass
class User:
    """A workspace member as Slack's users.info describes them."""

    id: str
    name: str
    real_name: str = ""
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    tz: str = "UTC"

    def __post_init__(self) -> None:
        if not self.real_name:
            self.real_name = self.name.title()

    def offset_at(self, when: float) -> int:
        """Seconds east of UTC for this user's time zone at the given epoch time."""
        try:
            zone = ZoneInfo(self.tz)
        except ZoneInfoNotFoundError:
            return 0
        offset = datetime.fromtimestamp(when, tz=UTC).astimezone(zone).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    @property
    def tz_offset(self) -> int:
        """Seconds east of UTC right now."""
        return self.offset_at(time.time())

    def to_api(self, *, team_id: str, now: float) -> dict[str, Any]:
        """The user object as users.info returns it."""
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": self.is_owner,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "tz": self.tz,
            "tz_label": self.tz,
            "tz_offset": self.offset_at(now),
            "profile": {
                "display_name": self.name,
                "display_name_normalized": self.name,
                "real_name": self.real_name,
                "real_name_normalized": self.real_name,
                "team": team_id,
            },
        }


@dataclass
class Channel:
    """A conversation: public or private channel, DM (`is_im`) or group DM (`is_mpim`)."""

    id: str
    name: str
    is_private: bool = False
    is_archived: bool = False
    members: set[str] = field(default_factory=set)
    is_im: bool = False
    is_mpim: bool = False
    user: str | None = None
    topic: str = ""
    purpose: str = ""
    created: int = 1_600_000_000

    def to_api(self, *, bot_user_id: str) -> dict[str, Any]:
        """The channel object as conversations.info returns it."""
        if self.is_im:
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": self.user,
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private and not self.is_mpim,
            "is_im": False,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private,
            "is_archived": self.is_archived,
            "is_general": self.name == "general",
            "is_member": bot_user_id in self.members,
            "created": self.created,
            "num_members": len(self.members),
            "topic": {"value": self.topic, "creator": "", "last_set": 0},
            "purpose": {"value": self.purpose, "creator": "", "last_set": 0},
        }


@dataclass
class Message:
    """One message stored in a channel's history."""

    ts: str
    text: str = ""
    user: str = ""
    bot_id: str | None = None
    blocks: list[Any] | None = None
    attachments: list[Any] | None = None
    metadata: dict[str, Any] | None = None
    thread_ts: str | None = None
    reply_broadcast: bool = False
    reply_count: int = 0
    reply_users: list[str] = field(default_factory=list)
    latest_reply: str | None = None
    edited: dict[str, str] | None = None

    @property
    def is_reply(self) -> bool:
        """True for a thread reply (not the thread's parent)."""
        return self.thread_ts is not None and self.thread_ts != self.ts

    def to_api(self, *, team_id: str, include_metadata: bool = True) -> dict[str, Any]:
        """The message object as Slack returns it in responses and history."""
        data: dict[str, Any] = {"type": "message", "ts": self.ts, "user": self.user, "text": self.text, "team": team_id}
        optional = {
            "bot_id": self.bot_id,
            "blocks": self.blocks,
            "attachments": self.attachments,
            "thread_ts": self.thread_ts,
            "edited": self.edited,
            "latest_reply": self.latest_reply,
            "metadata": self.metadata if include_metadata else None,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        if self.reply_count:
            data.update(reply_count=self.reply_count, reply_users=list(self.reply_users))
        if self.reply_broadcast:
            data["subtype"] = "thread_broadcast"
        return data


def ts_key(ts: str) -> Decimal:
    """A sortable value for a Slack timestamp string."""
    return Decimal(ts)


def sample_users() -> list[User]:
    """The people of the default sample workspace."""
    return [
        User("U_ADMIN", "ada", "Ada Lovelace", is_admin=True, tz="Europe/London"),
        User("U_ALICE", "alice", "Alice Archer", tz="America/New_York"),
        User("U_BOB", "bob", "Bob Baker", tz="Asia/Tokyo"),
        User("U_CAROL", "carol", "Carol Chen"),
        User("U_DAN", "dan", "Dan Diaz"),
        User("U_GONE", "gone", "Gone Away", deleted=True),
        User("U_ROBOT", "robot", "Robot", is_bot=True),
    ]


def sample_channels(bot_user_id: str) -> list[Channel]:
    """The channels of the default sample workspace; the bot is in #general only."""
    everyone = {"U_ADMIN", "U_ALICE", "U_BOB", "U_CAROL", "U_DAN"}
    return [
        Channel("C_GENERAL", "general", members=everyone | {bot_user_id}),
        Channel("C_PYTHON", "python", members={"U_ADMIN"}),
        Channel("C_DATA", "data-science", members={"U_ALICE", "U_CAROL", "U_DAN"}),
    ]


class TsSource:
    """Unique, strictly increasing message timestamps derived from a clock."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        """The next timestamp, e.g. "1700000000.000100"."""
        with self._lock:
            micros = max(int(self._clock() * 1_000_000), self._last + 1)
            self._last = micros
        seconds, fraction = divmod(micros, 1_000_000)
        return f"{seconds}.{fraction:06d}"


class Workspace:
    """Users, channels and messages of the simulated workspace (views in `views`); thread-safe."""

    def __init__(
        self,
        *,
        team_id: str = "T0001",
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        clock: Callable[[], float] = time.time,
        users: Iterable[User] | None = None,
        channels: Iterable[Channel] | None = None,
    ) -> None:
        self.team_id = team_id
        self.team_name = "Copbot Stand-in"
        self.domain = "copbot-standin"
        self.app_id = "A0001"
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.clock = clock
        self.lock = threading.RLock()
        self.timestamps = TsSource(clock)
        self._users: dict[str, User] = {}
        self._channels: dict[str, Channel] = {}
        self._messages: dict[str, list[Message]] = {}
        self._dms: dict[str, str] = {}
        self.views = ViewStore()
        self._ids = itertools.count(1)
        self._seed(users, channels)

    def _seed(self, users: Iterable[User] | None, channels: Iterable[Channel] | None) -> None:
        seeded_users = sample_users() if users is None else list(users)
        if channels is None:
            channels = sample_channels(self.bot_user_id) if users is None else []
        for user in seeded_users:
            self.add_user(user)
        if self.bot_user_id not in self._users:
            self.add_user(User(self.bot_user_id, "copbot", "copbot", is_bot=True))
        for channel in channels:
            self.add_channel(channel)

    # users

    def add_user(self, user: User) -> User:
        """Add (or replace) a user."""
        with self.lock:
            self._users[user.id] = user
            return user

    def user(self, user_id: str) -> User | None:
        """The user with this id, if any."""
        with self.lock:
            return self._users.get(user_id)

    def users(self) -> list[User]:
        """All users, in the order they were added."""
        with self.lock:
            return list(self._users.values())

    def user_by_name(self, name: str) -> User | None:
        """The user with this name ("alice" or "@alice"), if any."""
        wanted = name.lstrip("@")
        with self.lock:
            return next((user for user in self._users.values() if user.name == wanted), None)

    # channels

    def add_channel(self, channel: Channel) -> Channel:
        """Add (or replace) a channel."""
        with self.lock:
            self._channels[channel.id] = channel
            self._messages.setdefault(channel.id, [])
            return channel

    def channel(self, channel_id: str) -> Channel | None:
        """The conversation with this id, if any."""
        with self.lock:
            return self._channels.get(channel_id)

    def channels(self) -> list[Channel]:
        """All conversations, DMs included, in the order they were added."""
        with self.lock:
            return list(self._channels.values())

    def channel_by_name(self, name: str) -> Channel | None:
        """The channel with this name ("general" or "#general"), if any."""
        wanted = name.lstrip("#")
        with self.lock:
            return next((c for c in self._channels.values() if c.name == wanted and not c.is_im), None)

    def join(self, channel_id: str, user_id: str) -> bool:
        """Add a member to a channel; False if they were already in it."""
        with self.lock:
            channel = self._channels[channel_id]
            if user_id in channel.members:
                return False
            channel.members.add(user_id)
            return True

    def dm_channel_for(self, user_id: str) -> Channel:
        """The bot's DM with this user, opened on first use (same id every time)."""
        with self.lock:
            if user_id not in self._users:
                raise KeyError(f"unknown user {user_id}")
            existing = self.existing_dm(user_id)
            if existing is not None:
                return existing
            dm_id = f"D{user_id[1:]}" if user_id.startswith("U") else f"D{user_id}"
            channel = Channel(
                dm_id, user_id, is_private=True, is_im=True, user=user_id, members={user_id, self.bot_user_id}
            )
            self._dms[user_id] = dm_id
            return self.add_channel(channel)

    def existing_dm(self, user_id: str) -> Channel | None:
        """The bot's DM with this user if it has been opened."""
        with self.lock:
            dm_id = self._dms.get(user_id)
            return self._channels.get(dm_id) if dm_id else None

    def open_group_dm(self, user_ids: list[str]) -> Channel:
        """The bot's group DM with these users, opened on first use."""
        members = set(user_ids) | {self.bot_user_id}
        with self.lock:
            for channel in self._channels.values():
                if channel.is_mpim and channel.members == members:
                    return channel
            names = sorted(self._users[uid].name for uid in user_ids if uid in self._users)
            channel = Channel(
                f"GMPIM{next(self._ids):04d}",
                "mpdm-" + "--".join(names) + "-1",
                is_private=True,
                is_mpim=True,
                members=members,
            )
            return self.add_channel(channel)

    # messages

    def add_message(
        self,
        channel_id: str,
        *,
        user: str,
        text: str = "",
        bot_id: str | None = None,
        blocks: list[Any] | None = None,
        attachments: list[Any] | None = None,
        metadata: dict[str, Any] | None = None,
        thread_ts: str | None = None,
        reply_broadcast: bool = False,
    ) -> Message:
        """Store a new message (or thread reply) in a channel and return a copy of it."""
        with self.lock:
            if channel_id not in self._channels:
                raise KeyError(f"unknown channel {channel_id}")
            message = Message(
                self.timestamps.next(), text, user, bot_id, blocks, attachments, metadata, thread_ts, reply_broadcast
            )
            self._messages[channel_id].append(message)
            if thread_ts is not None:
                self._note_reply(channel_id, thread_ts, message)
            return copy.deepcopy(message)

    def _note_reply(self, channel_id: str, thread_ts: str, reply: Message) -> None:
        parent = self._find(channel_id, thread_ts)
        if parent is None:
            return
        parent.thread_ts = parent.ts
        parent.reply_count += 1
        parent.latest_reply = reply.ts
        if reply.user not in parent.reply_users:
            parent.reply_users.append(reply.user)

    def _find(self, channel_id: str, ts: str) -> Message | None:
        return next((m for m in self._messages.get(channel_id, []) if m.ts == ts), None)

    def message(self, channel_id: str, ts: str) -> Message | None:
        """A copy of the message with this ts in the channel, if any."""
        with self.lock:
            found = self._find(channel_id, ts)
            return copy.deepcopy(found) if found else None

    def edit_message(self, channel_id: str, ts: str, **changes: Any) -> Message | None:
        """Change fields of a stored message; returns a copy of the result, or None if missing."""
        with self.lock:
            found = self._find(channel_id, ts)
            if found is None:
                return None
            for name, value in changes.items():
                setattr(found, name, value)
            return copy.deepcopy(found)

    def delete_message(self, channel_id: str, ts: str) -> bool:
        """Remove a message; False if it was not there."""
        with self.lock:
            found = self._find(channel_id, ts)
            if found is None:
                return False
            self._messages[channel_id].remove(found)
            return True

    def history(self, channel_id: str) -> list[Message]:
        """Copies of a channel's top-level messages (and thread broadcasts), newest first."""
        with self.lock:
            shown = [m for m in self._messages.get(channel_id, []) if not m.is_reply or m.reply_broadcast]
            return copy.deepcopy(sorted(shown, key=lambda m: ts_key(m.ts), reverse=True))

    def replies(self, channel_id: str, thread_ts: str) -> list[Message]:
        """Copies of a thread: the parent first, then its replies oldest first."""
        with self.lock:
            thread = [m for m in self._messages.get(channel_id, []) if thread_ts in (m.ts, m.thread_ts)]
            return copy.deepcopy(sorted(thread, key=lambda m: ts_key(m.ts)))

    def new_id(self, prefix: str) -> str:
        """A fresh identifier such as "V00000007"."""
        return f"{prefix}{next(self._ids):08d}"
