"""Block Kit limits: the validators, and the stand-in refusing what Slack would refuse."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.standin import SlackStandin, validate_message, validate_view


def section(text: str) -> dict[str, Any]:
    """A mrkdwn section block."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(title: str = "Join", **extra: Any) -> dict[str, Any]:
    """A minimal valid modal."""
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": [section("hi")], **extra}


def button(**fields: Any) -> dict[str, Any]:
    """A button element."""
    return {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}, **fields}


def test_valid_message_and_view_have_no_violations() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Hello"}},
        section("body"),
        {"type": "divider"},
        {"type": "actions", "elements": [button(value="1")]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "small"}]},
    ]
    assert validate_message(blocks, "fallback") == []
    assert validate_message(json.dumps(blocks), "fallback") == []
    assert validate_message(None, "just text") == []
    assert validate_view(modal()) == []
    assert validate_view(json.dumps({"type": "home", "blocks": blocks})) == []


@pytest.mark.parametrize(
    ("blocks", "fragment"),
    [
        ([{"type": "divider"}] * 51, "blocks: 51 blocks, at most 50"),
        ([section("x" * 3001)], "blocks[0].text.text: 3001 characters, at most 3000"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}], "blocks[0].fields: 11 fields"),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
            "blocks[0].fields[0].text: 2001 characters",
        ),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "at most 150"),
        ([{"type": "actions", "elements": [button(text={"type": "plain_text", "text": "b" * 76})]}], "at most 75"),
        ([{"type": "actions", "elements": [button(action_id="a" * 256)]}], "action_id: 256 characters"),
        ([{"type": "actions", "elements": [button(value="v" * 2001)]}], "value: 2001 characters"),
        ([{"type": "actions", "elements": [button(url="u" * 3001)]}], "url: 3001 characters"),
        ([{"type": "actions", "elements": [button()] * 26}], "26 elements, at most 25"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}], "11 elements, at most 10"),
        ([{"type": "divider", "block_id": "b" * 256}], "block_id: 256 characters"),
        ([{"type": "carousel"}], "unknown block type 'carousel'"),
        ([{"type": "input", "element": {"type": "plain_text_input"}}], "label: required"),
        ([{"type": "input", "label": {"type": "plain_text", "text": "L"}}], "element: required"),
        ([{"type": "section", "text": "bare string"}], "must be a text object"),
        ("[not json", "blocks: not valid JSON"),
    ],
)
def test_message_violations(blocks: Any, fragment: str) -> None:
    problems = validate_message(blocks, "text")
    assert any(fragment in problem for problem in problems), problems


def test_message_text_limit() -> None:
    assert validate_message(None, "t" * 40_000) == []
    assert validate_message(None, "t" * 40_001) == ["text: 40001 characters, at most 40000 allowed"]


@pytest.mark.parametrize(
    ("view", "fragment"),
    [
        (modal("t" * 25), "view.title.text: 25 characters, at most 24"),
        (modal(submit={"type": "plain_text", "text": "s" * 25}), "view.submit.text"),
        (modal(close={"type": "plain_text", "text": "c" * 25}), "view.close.text"),
        (modal(private_metadata="m" * 3001), "view.private_metadata: 3001 characters"),
        ({"type": "dialog", "blocks": []}, "view.type: must be modal or home"),
        ({"type": "home", "blocks": [{"type": "divider"}] * 101}, "view.blocks: 101 blocks, at most 100"),
        ({"type": "modal", "blocks": []}, "view.title"),
        (
            modal(
                blocks=[
                    {
                        "type": "input",
                        "label": {"type": "plain_text", "text": "L"},
                        "element": {"type": "plain_text_input", "action_id": "a"},
                    }
                ]
            ),
            "view.submit: required",
        ),
    ],
)
def test_view_violations(view: dict[str, Any], fragment: str) -> None:
    problems = validate_view(view)
    assert any(fragment in problem for problem in problems), problems


def test_a_view_may_hold_100_blocks() -> None:
    assert validate_view({"type": "home", "blocks": [{"type": "divider"}] * 100}) == []


def test_51_blocks_are_refused_and_listed(standin: SlackStandin, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C_GENERAL", text="many", blocks=[{"type": "divider"}] * 51)
    data = raised.value.response.data
    assert data["error"] == "invalid_blocks"
    assert data["response_metadata"]["messages"] == ["blocks: 51 blocks, at most 50 allowed"]
    assert standin.violations == ["chat.postMessage: blocks: 51 blocks, at most 50 allowed"]
    assert standin.workspace.history("C_GENERAL") == []


def test_long_section_is_refused_in_updates_too(standin: SlackStandin, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C_GENERAL", text="ok", blocks=[section("fine")])
    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel="C_GENERAL", ts=posted["ts"], text="x", blocks=[section("x" * 3001)])
    assert raised.value.response["error"] == "invalid_blocks"
    assert standin.violations == ["chat.update: blocks[0].text.text: 3001 characters, at most 3000 allowed"]


def test_long_modal_title_is_refused(standin: SlackStandin, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id="1.2", view=modal("A title of 25 characters!"))
    data = raised.value.response.data
    assert data["error"] == "invalid_arguments"
    assert data["response_metadata"]["messages"] == ["view.title.text: 25 characters, at most 24 allowed"]
    assert standin.violations == ["views.open: view.title.text: 25 characters, at most 24 allowed"]


def test_form_encoded_invalid_blocks_are_refused(standin: SlackStandin, client: WebClient) -> None:
    blocks = json.dumps([{"type": "divider"}] * 51)
    with pytest.raises(SlackApiError):
        client.api_call("chat.postMessage", params={"channel": "C_GENERAL", "text": "x", "blocks": blocks})
    assert len(standin.violations) == 1
