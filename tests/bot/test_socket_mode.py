"""Socket Mode end to end: the app connects to the stand-in's WebSocket (apps.connections.open), takes a
command, an event and a button as Slack's envelopes, acknowledges each, and reconnects when asked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import select

from bot.app import Copbot, create_app
from bot.clock import ManualClock
from bot.sandbox.standin import SlackStandin
from bot.sandbox.standin.requests import block_actions_body, event_body, slash_command_body
from bot.sandbox.standin.socket_mode import SocketModeServer
from bot.web import socket_mode_handler
from storage.migrate import upgrade
from storage.models import ActivityCount, Membership
from tests.conftest import make_settings


@pytest.fixture
def connected(sqlite_url: str, standin: SlackStandin, clock: ManualClock) -> Iterator[tuple[Copbot, SocketModeServer]]:
    settings = make_settings(sqlite_url, standin, slack_app_token=standin.app_token, slack_signing_secret=None)
    copbot = create_app(settings, clock=clock)
    upgrade(copbot.engine)
    handler = socket_mode_handler(copbot, standin.app_token)  # what `copbot serve` runs
    handler.connect()  # type: ignore[no-untyped-call]  # what `copbot serve` does, without blocking
    try:
        standin.socket_mode.wait_for_connections(1)
        yield copbot, standin.socket_mode
    finally:
        handler.close()  # type: ignore[no-untyped-call]
        copbot.stop()


def deliver(copbot: Copbot) -> None:
    """Deliver everything queued, moving the manual clock over the pacing between messages."""
    assert isinstance(copbot.clock, ManualClock)
    while (due := copbot.worker.next_due_at()) is not None:
        copbot.clock.advance(max(due - copbot.clock.now(), timedelta(0)))
        copbot.worker.deliver_due()


def command(server: SocketModeServer, text: str, *, user: str, channel: str) -> dict:
    body = slash_command_body(command="/cop", text=text, user_id=user, channel_id=channel)
    envelope = server.send("slash_commands", dict(parse_qsl(body)), accepts_response_payload=True)
    return server.ack_for(envelope)


def test_a_command_an_event_and_a_button_arrive_and_are_acknowledged(
    connected: tuple[Copbot, SocketModeServer], standin: SlackStandin
) -> None:
    copbot, server = connected
    created = command(server, "create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    assert created["payload"]["text"].startswith("Created *python* for <#C_PYTHON>")

    joined = {"type": "member_joined_channel", "user": "U_BOB", "channel": "C_PYTHON", "channel_type": "C"}
    envelope = server.send("events_api", json.loads(event_body(joined)))
    assert server.ack_for(envelope) == {"envelope_id": envelope}
    with copbot.sessions() as session:
        assert session.scalar(select(Membership.user_id).where(Membership.user_id == "U_BOB")) == "U_BOB"

    click = json.loads(
        dict(parse_qsl(block_actions_body(user_id="U_CAROL", action_id="community_join", value="python")))["payload"]
    )
    envelope = server.send("interactive", click)
    assert server.ack_for(envelope)["envelope_id"] == envelope
    deliver(copbot)
    welcomes = [call.params["text"] for call in standin.messages_to("U_BOB") + standin.messages_to("U_CAROL")]
    assert sum(text.startswith("Welcome to python!") for text in welcomes) == 2


def test_message_events_are_counted_then_acknowledged_once_each(connected: tuple[Copbot, SocketModeServer]) -> None:
    copbot, server = connected
    command(server, "create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    said = {"type": "message", "channel": "C_PYTHON", "user": "U_BOB", "text": "hi", "ts": "1772442000.000100"}
    by_a_bot = {**said, "user": "U_BOT", "bot_id": "B1", "ts": "1772442001.000100"}
    deliveries = [event_body(said, event_id="EvSaid"), event_body(said, event_id="EvSaid"), event_body(by_a_bot)]
    envelopes = [server.send("events_api", json.loads(body)) for body in deliveries]
    assert [server.ack_for(envelope) for envelope in envelopes] == [{"envelope_id": e} for e in envelopes]
    with copbot.sessions() as session:
        counted = session.execute(select(ActivityCount.user_id, ActivityCount.messages)).all()
    assert [tuple(row) for row in counted] == [("U_BOB", 1)], "a redelivery and a bot's message do not count"


def test_the_app_reconnects_when_slack_recycles_the_connection(connected: tuple[Copbot, SocketModeServer]) -> None:
    _copbot, server = connected
    server.disconnect("refresh_requested")
    server.wait_for_connections(2)
    answer = command(server, "help", user="U_BOB", channel="C_GENERAL")
    assert "*copbot* runs communities of practice here." in json.dumps(answer["payload"])


def test_a_write_while_busy_answers_in_time_over_socket_mode_too(connected: tuple[Copbot, SocketModeServer]) -> None:
    import sqlite3

    copbot, server = connected
    command(server, "create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    holder = sqlite3.connect(str(copbot.engine.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        ack = command(server, "join python", user="U_BOB", channel="C_GENERAL")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert ack["payload"]["text"].startswith("I'm busy with a lot at once right now and nothing was changed.")
