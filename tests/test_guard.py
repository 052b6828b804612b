"""The suite's guard: no test can reach the real Slack (or anything off this machine)."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from tests.conftest import RealNetworkRefused


def test_a_client_pointed_at_real_slack_fails_the_test() -> None:
    with pytest.raises(RealNetworkRefused):
        WebClient(token="xoxb-real", retry_handlers=[]).auth_test()


def test_connecting_off_this_machine_is_refused() -> None:
    import socket

    with pytest.raises(RealNetworkRefused), socket.socket() as sock:
        sock.connect(("192.0.2.1", 443))
