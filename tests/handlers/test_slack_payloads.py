"""Real Slack payload shapes (tests/slack_payloads.py): messages of every subtype, joins in shared and
Grid channels, `W…` users, interactions with null state values. Each gets 200 and no traceback, and the
activity counts come out right."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.communities.blocks import EDIT_CALLBACK, JOIN_ACTION
from bot.knowledge.blocks import (
    ANSWERED_ACTION,
    MORE_ACTION,
    PIN_ACTION,
    RETAG_ACTION,
    RETAG_CALLBACK,
    SAVE_RESOURCE_CALLBACK,
    SHARE_CALLBACK,
)
from bot.manifest import BOT_EVENTS
from bot.rhythms.blocks import CHECKIN_ACTION, HELP_CLAIM_ACTION, PROMPT_REMOVE_ACTION
from bot.rhythms.survey_blocks import SURVEY_CALLBACK, SURVEY_OPEN_ACTION
from bot.sandbox.standin.requests import FORM, JSON
from bot.welcome.blocks import CLAIM_ACTION, EXPERTISE_CALLBACK, INTRODUCE_ACTION, INTRODUCTION_CALLBACK
from storage.models import ActivityCount, Membership
from tests.conftest import RunningCopbot
from tests.slack_payloads import http_body, iter_samples

OUR_ACTIONS = [
    CLAIM_ACTION,
    JOIN_ACTION,
    ANSWERED_ACTION,
    PIN_ACTION,
    RETAG_ACTION,
    MORE_ACTION,
    CHECKIN_ACTION,
    HELP_CLAIM_ACTION,
    SURVEY_OPEN_ACTION,
    PROMPT_REMOVE_ACTION,
    INTRODUCE_ACTION,
]
OUR_FORMS = [SHARE_CALLBACK, EDIT_CALLBACK, INTRODUCTION_CALLBACK, SURVEY_CALLBACK, RETAG_CALLBACK, EXPERTISE_CALLBACK]
# Messages a person wrote in the community's channel (C0001 in the samples): these are counted.
COUNTED = {
    "message_user_plain": "U_BOB",
    "message_user_rich_text_mentions": "U_BOB",
    "message_user_forwarded_share_attachment": "U_BOB",
    "message_me_message": "U_BOB",
    "message_user_with_edited_field": "U_BOB",
    "message_file_share": "U_BOB",
    "message_file_share_stub_check_file_info": "U_BOB",
    "message_thread_reply_user": "U_CAROL",
    "message_thread_broadcast": "U_CAROL",
    "message_slack_connect_from_partner_org": "W0003",
    "message_slack_connect_user_team_source_team": "W0003",
    "message_grid_org_install_w_users": "W0001",
    "message_grid_workspace_install_w_user": "W0001",
}


def in_our_workspace(payload: dict[str, Any], bot_user_id: str) -> dict[str, Any]:
    """The sample with its ids mapped onto the stand-in's workspace (C0001 is the community's channel)."""
    text = json.dumps(payload)
    for sample, ours in (("C0001", "C_PYTHON"), ("U0001", "U_BOB"), ("U0002", "U_CAROL"), ("U0099", bot_user_id)):
        text = text.replace(f'"{sample}"', f'"{ours}"').replace(f"<@{sample}", f"<@{ours}")
    return dict(json.loads(text))


def counts(running: RunningCopbot) -> dict[str, int]:
    with running.copbot.sessions() as session:
        rows = session.execute(
            select(ActivityCount.user_id, func.sum(ActivityCount.messages)).group_by(ActivityCount.user_id)
        ).all()
    return {user: int(total) for user, total in rows}


def test_every_event_shape_gets_200_and_the_counts_are_right(running: RunningCopbot) -> None:
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    bot = running.copbot.services.bot_user_id or "UBOT"
    for name, kind, payload in iter_samples():
        if kind != "event" or payload["event"]["type"] not in {name.split(".")[0] for name in BOT_EVENTS}:
            continue  # Slack sends only the events the manifest subscribes to
        content_type, body = http_body(kind, in_our_workspace(payload, bot))
        assert running.slack.post(body, content_type=content_type).status == 200, name
    running.deliver()
    expected: dict[str, int] = {}
    for user in COUNTED.values():
        expected[user] = expected.get(user, 0) + 1
    assert counts(running) == expected


def test_every_interaction_shape_gets_200(running: RunningCopbot) -> None:
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    actions, forms = itertools.cycle(OUR_ACTIONS), itertools.cycle(OUR_FORMS)
    bot = running.copbot.services.bot_user_id or "UBOT"
    sent = 0
    for name, kind, payload in iter_samples():
        if kind != "interactive" or payload["type"] in ("view_closed", "shortcut"):
            continue  # copbot asks for no view_closed and declares no global shortcut: Slack sends neither
        payload = in_our_workspace(payload, bot)
        if payload.get("response_url"):
            payload["response_url"] = running.standin.response_url(name)
        for action in payload.get("actions", []):
            action["action_id"] = next(actions)
        if payload["type"] == "view_submission":
            payload["view"]["callback_id"] = next(forms)
        if payload["type"] == "message_action":
            payload["callback_id"] = SAVE_RESOURCE_CALLBACK
        content_type, body = http_body(kind, payload)
        assert content_type == FORM
        assert running.slack.post(body, content_type=content_type).status == 200, name
        sent += 1
    running.deliver()
    assert sent >= 15


def test_every_slash_command_shape_gets_200(running: RunningCopbot) -> None:
    for name, kind, payload in iter_samples():
        if kind != "command":
            continue
        payload = {**in_our_workspace(payload, "UBOT"), "command": running.copbot.settings.command}
        content_type, body = http_body(kind, payload)
        answer = running.slack.post(body, content_type=content_type)
        assert answer.status == 200 and answer.json()["text"], name
    assert JSON  # events above travel as JSON, interactions and commands as forms


@pytest.mark.parametrize(
    "oddity",
    [
        {"event_id": "Ev\u0000a"},  # SQLite's JSON functions stop at NUL: stored as "Ev", the next one clashed
        {"event_id": "E" * 65},  # longer than the column: PostgreSQL refused the whole batch
        {"user": "U_BOB\u0000x"},
        {"user": "U" * 33},
        {"user": "U_\ud800"},  # a lone surrogate: no encoding takes it
        {"channel": "C_PYTHON\u0000"},
        {"ts": "1772442000.000100\u0000"},
        {"thread_ts": "1772441000.000100\u0000"},
    ],
    ids=[
        "nul-in-event-id",
        "long-event-id",
        "nul-in-user",
        "long-user",
        "lone-surrogate",
        "nul-in-channel",
        "odd-ts",
        "odd-thread-ts",
    ],
)
def test_a_message_event_with_ids_slack_never_makes_is_refused_and_counts_nothing(
    either: RunningCopbot, oddity: dict[str, str]
) -> None:
    either.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    said = {"type": "message", "channel": "C_PYTHON", "user": "U_BOB", "text": "hi", "ts": "1772442000.000100"}
    event_id = oddity.get("event_id", "EvOdd1")
    odd = {**said, **{key: value for key, value in oddity.items() if key != "event_id"}}
    for _ in range(2):  # and again, as Slack would retry
        answer = either.slack.event(odd, event_id=event_id)
        assert (answer.status, answer.json()) == (400, {"error": "not a Slack payload"})
    assert either.slack.event({**said, "ts": "1772442001.000100"}, event_id="EvFine").status == 200
    assert counts(either) == {"U_BOB": 1}, "only the well-formed message counts"


ODD_USER = "U_\u0000" + "x" * 40


@pytest.mark.parametrize(
    "request_kind", ["member_joined_channel", "app_home_opened", "team_join", "command", "button", "form"]
)
def test_any_request_with_ids_slack_never_makes_is_refused_before_anything_is_stored(
    either: RunningCopbot, request_kind: str
) -> None:
    """The same class of defect as above, for every kind of request: PostgreSQL refused such ids with a 500."""
    either.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    events = {
        "member_joined_channel": {"type": "member_joined_channel", "user": ODD_USER, "channel": "C_PYTHON"},
        "app_home_opened": {"type": "app_home_opened", "user": ODD_USER, "channel": "D1", "tab": "home"},
        "team_join": {"type": "team_join", "user": {"id": ODD_USER, "name": "eve", "profile": {}}},
    }
    if request_kind in events:
        answer = either.slack.event(events[request_kind], event_id="EvOdd")
    elif request_kind == "command":
        answer = either.slack.command("/cop", "join python", user_id=ODD_USER, channel_id="C_PYTHON")
    elif request_kind == "button":
        answer = either.slack.action(user_id=ODD_USER, action_id=JOIN_ACTION, value="python")
    else:
        answer = either.slack.post(
            http_body("interactive", {"type": "view_submission", "user": {"id": ODD_USER}, "view": {"id": "V\u0000"}})[
                1
            ],
            content_type=FORM,
        )
    assert (answer.status, answer.json()) == (400, {"error": "not a Slack payload"})
    with either.copbot.sessions() as session:
        assert session.scalars(select(Membership.user_id)).all() == ["U_ADMIN"], "nobody joined"


def test_copbots_own_messages_do_not_count_even_without_a_bot_id(running: RunningCopbot) -> None:
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    bot = running.copbot.services.bot_user_id
    assert bot is not None
    said = {"type": "message", "channel": "C_PYTHON", "user": bot, "text": "a file", "ts": "1772442000.000100"}
    assert running.slack.event(said, event_id="EvOwn").status == 200
    assert counts(running) == {}
