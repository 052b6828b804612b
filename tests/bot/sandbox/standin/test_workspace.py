"""The simulated workspace: sample data, lookups, DMs, timestamps, time zones."""

from __future__ import annotations

import pytest

from bot.sandbox.standin import Channel, SlackStandin, User, Workspace
from bot.sandbox.standin.workspace import TsSource

NOW = 1_700_000_000.0


def test_sample_workspace() -> None:
    ws = Workspace(clock=lambda: NOW)
    names = {user.name for user in ws.users()}
    assert {"ada", "alice", "bob", "carol", "dan", "gone", "robot"} <= names
    assert ws.user("U_ADMIN").is_admin  # type: ignore[union-attr]
    assert ws.user("U_GONE").deleted  # type: ignore[union-attr]
    assert ws.user("U_ROBOT").is_bot  # type: ignore[union-attr]
    assert {c.name for c in ws.channels()} == {"general", "python", "data-science"}
    assert "UBOT" in ws.channel("C_GENERAL").members  # type: ignore[union-attr]
    assert "UBOT" not in ws.channel("C_PYTHON").members  # type: ignore[union-attr]
    assert "UBOT" not in ws.channel("C_DATA").members  # type: ignore[union-attr]


def test_given_users_replace_the_sample() -> None:
    ws = Workspace(users=[User("U1", "one")])
    assert {u.id for u in ws.users()} == {"U1", "UBOT"}
    assert ws.channels() == []


def test_lookups_by_name_strip_prefixes() -> None:
    ws = Workspace()
    assert ws.user_by_name("@alice").id == "U_ALICE"  # type: ignore[union-attr]
    assert ws.user_by_name("alice").id == "U_ALICE"  # type: ignore[union-attr]
    assert ws.channel_by_name("#data-science").id == "C_DATA"  # type: ignore[union-attr]
    assert ws.channel_by_name("nope") is None


def test_dm_channel_is_stable_per_user() -> None:
    ws = Workspace()
    first = ws.dm_channel_for("U_ALICE")
    assert first.is_im and first.id.startswith("D") and first.user == "U_ALICE"
    assert ws.dm_channel_for("U_ALICE").id == first.id
    assert ws.dm_channel_for("U_BOB").id != first.id
    with pytest.raises(KeyError):
        ws.dm_channel_for("U_NOPE")


def test_time_zone_offsets_follow_the_clock() -> None:
    alice = User("U_A", "alice", tz="America/New_York")
    assert alice.offset_at(NOW) == -5 * 3600  # November
    assert alice.offset_at(1_690_000_000.0) == -4 * 3600  # July
    assert User("U_Z", "zed", tz="Not/AZone").offset_at(NOW) == 0
    assert User("U_U", "utc").tz_offset == 0
    assert User("U_R", "rita").real_name == "Rita"


def test_timestamps_increase_even_with_a_frozen_clock() -> None:
    stamps = TsSource(lambda: NOW)
    assert [stamps.next() for _ in range(3)] == ["1700000000.000000", "1700000000.000001", "1700000000.000002"]


def test_add_message_and_history(standin: SlackStandin) -> None:
    ws = standin.workspace
    first = ws.add_message("C_GENERAL", user="U_ALICE", text="hello")
    second = ws.add_message("C_GENERAL", user="U_BOB", text="hi")
    assert [m.ts for m in ws.history("C_GENERAL")] == [second.ts, first.ts]
    with pytest.raises(KeyError):
        ws.add_message("C_NOPE", user="U_ALICE", text="x")


def test_custom_channels_are_used() -> None:
    ws = Workspace(channels=[Channel("C_X", "x", members={"UBOT"})])
    assert [c.id for c in ws.channels()] == ["C_X"]
    assert ws.user("U_ALICE") is not None
