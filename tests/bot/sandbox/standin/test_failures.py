"""Scripted failures: rate limits, server errors, Slack errors and slow answers."""

from __future__ import annotations

import socket

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.standin import SlackStandin


def test_429_sends_retry_after_and_slack_sdk_raises(standin: SlackStandin, client: WebClient) -> None:
    standin.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C_GENERAL", text="hi")

    response = raised.value.response
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response["error"] == "ratelimited"
    [call] = standin.calls
    assert call.status == 429 and not call.ok
    assert call.params["text"] == "hi"
    assert standin.workspace.history("C_GENERAL") == []


def test_429_retry_after_defaults_to_one(standin: SlackStandin, client: WebClient) -> None:
    standin.fail_next("auth.test", status=429)
    with pytest.raises(SlackApiError) as raised:
        client.auth_test()
    assert raised.value.response.headers["Retry-After"] == "1"


def test_500_is_a_server_error(standin: SlackStandin, client: WebClient) -> None:
    standin.fail_next("chat.postMessage", status=500)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C_GENERAL", text="hi")
    assert raised.value.response.status_code == 500
    assert standin.calls[0].status == 500
    assert client.chat_postMessage(channel="C_GENERAL", text="hi")["ok"]


def test_times_fails_that_many_calls_then_recovers(standin: SlackStandin, client: WebClient) -> None:
    standin.fail_next("auth.test", status=503, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError):
            client.auth_test()
    assert client.auth_test()["ok"]
    assert [c.status for c in standin.calls] == [503, 503, 200]


def test_error_with_status_200(standin: SlackStandin, client: WebClient) -> None:
    standin.fail_next("users.info", error="fatal_error")
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U_ALICE")
    assert raised.value.response.status_code == 200
    assert raised.value.response.data == {"ok": False, "error": "fatal_error"}


def test_star_matches_any_method_and_only_the_named_method_otherwise(standin: SlackStandin, client: WebClient) -> None:
    standin.fail_next("users.info", status=500)
    assert client.auth_test()["ok"]
    standin.fail_next("*", error="team_access_not_granted")
    with pytest.raises(SlackApiError):
        client.auth_test()
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U_ALICE")
    assert raised.value.response.status_code == 500


def test_delay_makes_the_client_time_out(standin: SlackStandin) -> None:
    impatient = WebClient(base_url=standin.url, token="xoxb-test", timeout=0.1)  # type: ignore[arg-type]
    standin.fail_next("chat.postMessage", delay=0.3)
    with pytest.raises((TimeoutError, socket.timeout)):
        impatient.chat_postMessage(channel="C_GENERAL", text="slow")


def test_a_meaningless_script_is_refused(standin: SlackStandin) -> None:
    with pytest.raises(ValueError):
        standin.fail_next("auth.test")
    with pytest.raises(ValueError):
        standin.fail_next("auth.test", status=500, times=0)


def test_delay_alone_answers_normally_but_late(standin: SlackStandin, client: WebClient) -> None:
    standin.fail_next("auth.test", delay=0.05)
    assert client.auth_test()["ok"]
    assert standin.calls[0].ok
