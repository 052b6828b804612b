"""Fixtures for the Slack stand-in tests: a started stand-in and a WebClient pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.sandbox.standin import SlackStandin

FIXED_NOW = 1_700_000_000.0


@pytest.fixture
def standin() -> Iterator[SlackStandin]:
    """A running stand-in with the sample workspace and a fixed clock."""
    server = SlackStandin(clock=lambda: FIXED_NOW).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def client(standin: SlackStandin) -> WebClient:
    """slack_sdk's WebClient, unchanged, talking to the stand-in."""
    return WebClient(base_url=standin.url, token="xoxb-test", timeout=5)
