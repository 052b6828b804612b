"""slack_sdk's WebClient against the stand-in: answers, errors and recording."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.sandbox.standin import Channel, RecordedCall, SlackStandin, User

FIXED_NOW = 1_700_000_000.0  # the conftest's stand-in clock


def error_of(call: Callable[[], object]) -> str:
    """Run a WebClient call that must fail and return Slack's error code."""
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def test_url_is_the_api_base_with_trailing_slash(standin: SlackStandin) -> None:
    assert standin.url.startswith("http://127.0.0.1:")
    assert standin.url.endswith("/api/")


def test_auth_test_describes_the_bot(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["user_id"] == "UBOT"
    assert answer["bot_id"] == "BBOT"
    assert answer["team_id"] == "T0001"
    assert answer["url"].startswith("https://")


def test_post_message_is_recorded_with_full_params(standin: SlackStandin, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    answer = client.chat_postMessage(channel="C_GENERAL", text="hi", blocks=blocks, unfurl_links=False)

    [call] = standin.calls_to("chat.postMessage")
    assert call.ok and call.status == 200
    assert call.params == {"channel": "C_GENERAL", "text": "hi", "blocks": blocks, "unfurl_links": False}
    assert call.response["ts"] == answer["ts"]
    assert call.headers["Authorization"] == "Bearer xoxb-test"
    assert json.loads(call.raw_body)["text"] == "hi"
    assert call.at == FIXED_NOW
    assert answer["channel"] == "C_GENERAL"
    assert answer["message"]["bot_id"] == "BBOT"
    assert answer["message"]["blocks"] == blocks


def test_form_encoded_blocks_are_decoded(standin: SlackStandin, client: WebClient) -> None:
    blocks = [{"type": "divider"}]
    client.api_call("chat.postMessage", params={"channel": "C_GENERAL", "text": "x", "blocks": json.dumps(blocks)})
    [call] = standin.calls_to("chat.postMessage")
    assert call.params["blocks"] == blocks
    assert call.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_timestamps_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C_GENERAL", text=str(n))["ts"] for n in range(3)]
    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 3
    assert all(len(ts.split(".")[1]) == 6 for ts in stamps)


def test_user_id_channel_goes_to_the_same_dm_as_conversations_open(client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U_ALICE", text="welcome")
    opened = client.conversations_open(users="U_ALICE")
    again = client.conversations_open(users=["U_ALICE"])
    assert posted["channel"].startswith("D")
    assert opened["channel"]["id"] == posted["channel"] == again["channel"]["id"]


def test_messages_to_matches_user_dm_and_channel(standin: SlackStandin, client: WebClient) -> None:
    dm = client.conversations_open(users="U_BOB")["channel"]["id"]
    client.chat_postMessage(channel="U_BOB", text="one")
    client.chat_postMessage(channel=dm, text="two")
    client.chat_postMessage(channel="C_GENERAL", text="three")
    error_of(lambda: client.chat_postMessage(channel="U_GONE", text="lost"))

    assert [c.params["text"] for c in standin.messages_to("U_BOB")] == ["one", "two"]
    assert [c.params["text"] for c in standin.messages_to(dm)] == ["one", "two"]
    assert [c.params["text"] for c in standin.messages_to("C_GENERAL")] == ["three"]
    assert standin.messages_to("U_GONE") == []


def test_post_message_errors_like_slack(client: WebClient) -> None:
    assert error_of(lambda: client.chat_postMessage(channel="U_GONE", text="x")) == "user_disabled"
    assert error_of(lambda: client.chat_postMessage(channel="C_NOPE", text="x")) == "channel_not_found"
    assert error_of(lambda: client.chat_postMessage(channel="U_NOPE", text="x")) == "channel_not_found"
    assert error_of(lambda: client.chat_postMessage(channel="C_PYTHON", text="x")) == "not_in_channel"
    assert error_of(lambda: client.api_call("chat.postMessage", json={"channel": "C_GENERAL"})) == "no_text"
    assert error_of(lambda: client.chat_postMessage(channel="U_ROBOT", text="x")) == "cannot_dm_bot"


def test_archived_and_private_channels() -> None:
    channels = [
        Channel("C_OLD", "old", is_archived=True, members={"UBOT"}),
        Channel("G_SECRET", "secret", is_private=True, members={"U_A"}),
    ]
    with SlackStandin(users=[User("U_A", "a")], channels=channels) as standin:
        client = WebClient(base_url=standin.url, token="xoxb-test")
        assert error_of(lambda: client.chat_postMessage(channel="C_OLD", text="x")) == "is_archived"
        assert error_of(lambda: client.chat_postMessage(channel="G_SECRET", text="x")) == "channel_not_found"
        assert error_of(lambda: client.conversations_info(channel="G_SECRET")) == "channel_not_found"


def test_wrong_or_missing_token_is_invalid_auth(standin: SlackStandin) -> None:
    wrong = WebClient(base_url=standin.url, token="xoxb-wrong")
    missing = WebClient(base_url=standin.url)
    assert error_of(wrong.auth_test) == "invalid_auth"
    assert error_of(missing.auth_test) == "invalid_auth"
    assert [c.status for c in standin.calls] == [200, 200]


def test_token_may_come_as_a_param(standin: SlackStandin) -> None:
    anonymous = WebClient(base_url=standin.url)
    assert anonymous.api_call("auth.test", params={"token": "xoxb-test"})["ok"] is True


def test_unknown_method(client: WebClient) -> None:
    assert error_of(lambda: client.api_call("chat.teleport")) == "unknown_method"


def test_chat_update_and_delete(standin: SlackStandin, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C_GENERAL", text="draft")
    updated = client.chat_update(channel="C_GENERAL", ts=posted["ts"], text="final", blocks=[{"type": "divider"}])
    assert updated["ts"] == posted["ts"]
    assert updated["message"]["text"] == "final"
    stored = standin.workspace.message("C_GENERAL", posted["ts"])
    assert stored is not None and stored.text == "final" and stored.blocks == [{"type": "divider"}]

    assert error_of(lambda: client.chat_update(channel="C_GENERAL", ts="1.000000", text="x")) == "message_not_found"
    client.chat_delete(channel="C_GENERAL", ts=posted["ts"])
    assert standin.workspace.message("C_GENERAL", posted["ts"]) is None
    assert error_of(lambda: client.chat_delete(channel="C_GENERAL", ts=posted["ts"])) == "message_not_found"


def test_cannot_update_someone_elses_message(standin: SlackStandin, client: WebClient) -> None:
    theirs = standin.workspace.add_message("C_GENERAL", user="U_ALICE", text="mine")
    assert error_of(lambda: client.chat_update(channel="C_GENERAL", ts=theirs.ts, text="x")) == "cant_update_message"


def test_post_ephemeral(client: WebClient) -> None:
    answer = client.chat_postEphemeral(channel="C_GENERAL", user="U_ALICE", text="psst")
    assert answer["message_ts"]
    assert error_of(lambda: client.chat_postEphemeral(channel="C_GENERAL", user="U_NOPE", text="x")) == "user_not_found"


def test_history_newest_first_with_metadata(client: WebClient) -> None:
    metadata = {"event_type": "welcome_sent", "event_payload": {"user": "U_ALICE"}}
    first = client.chat_postMessage(channel="C_GENERAL", text="first", metadata=metadata)
    second = client.chat_postMessage(channel="C_GENERAL", text="second")

    history = client.conversations_history(channel="C_GENERAL", include_all_metadata=True)
    assert [m["text"] for m in history["messages"]] == ["second", "first"]
    assert history["messages"][1]["metadata"] == metadata
    assert history["messages"][1]["user"] == "UBOT"
    assert history["messages"][1]["bot_id"] == "BBOT"
    assert history["has_more"] is False

    plain = client.conversations_history(channel="C_GENERAL")
    assert "metadata" not in plain["messages"][1]
    newer = client.conversations_history(channel="C_GENERAL", oldest=first["ts"])
    assert [m["ts"] for m in newer["messages"]] == [second["ts"]]
    older = client.conversations_history(channel="C_GENERAL", latest=second["ts"])
    assert [m["ts"] for m in older["messages"]] == [first["ts"]]


def test_history_limit_and_cursor(client: WebClient) -> None:
    for n in range(5):
        client.chat_postMessage(channel="C_GENERAL", text=str(n))
    page = client.conversations_history(channel="C_GENERAL", limit=2)
    assert [m["text"] for m in page["messages"]] == ["4", "3"]
    assert page["has_more"] is True
    rest = client.conversations_history(channel="C_GENERAL", limit=10, cursor=page["response_metadata"]["next_cursor"])
    assert [m["text"] for m in rest["messages"]] == ["2", "1", "0"]


def test_history_needs_membership(client: WebClient) -> None:
    assert error_of(lambda: client.conversations_history(channel="C_PYTHON")) == "not_in_channel"


def test_thread_replies_are_stored(standin: SlackStandin, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C_GENERAL", text="parent")
    reply = client.chat_postMessage(channel="C_GENERAL", text="reply", thread_ts=parent["ts"])
    assert reply["message"]["thread_ts"] == parent["ts"]

    history = client.conversations_history(channel="C_GENERAL")
    assert [m["text"] for m in history["messages"]] == ["parent"]
    assert history["messages"][0]["reply_count"] == 1
    thread = client.conversations_replies(channel="C_GENERAL", ts=parent["ts"])
    assert [m["text"] for m in thread["messages"]] == ["parent", "reply"]
    assert standin.calls_to("chat.postMessage")[1].params["thread_ts"] == parent["ts"]


def test_join_info_and_members(client: WebClient) -> None:
    joined = client.conversations_join(channel="C_PYTHON")
    assert joined["channel"]["id"] == "C_PYTHON" and joined["channel"]["is_member"] is True
    assert client.chat_postMessage(channel="C_PYTHON", text="hello")["ok"]
    assert client.conversations_join(channel="C_PYTHON")["warning"] == "already_in_channel"

    info = client.conversations_info(channel="C_DATA")["channel"]
    assert info["name"] == "data-science" and info["is_member"] is False

    first = client.conversations_members(channel="C_GENERAL", limit=4)
    assert len(first["members"]) == 4
    rest = client.conversations_members(channel="C_GENERAL", cursor=first["response_metadata"]["next_cursor"])
    assert set(first["members"] + rest["members"]) == {"U_ADMIN", "U_ALICE", "U_BOB", "U_CAROL", "U_DAN", "UBOT"}
    assert rest["response_metadata"]["next_cursor"] == ""


def test_conversations_open_errors(client: WebClient) -> None:
    assert error_of(lambda: client.conversations_open(users="U_GONE")) == "user_disabled"
    assert error_of(lambda: client.conversations_open(users="U_NOPE")) == "user_not_found"


def test_users_info_and_list(client: WebClient) -> None:
    ada = client.users_info(user="U_ADMIN")["user"]
    assert ada["name"] == "ada" and ada["is_admin"] is True
    assert ada["tz"] == "Europe/London" and ada["tz_offset"] == 0  # November: GMT
    assert ada["profile"]["display_name"] == "ada"
    assert client.users_info(user="U_BOB")["user"]["tz_offset"] == 9 * 3600
    assert client.users_info(user="U_GONE")["user"]["deleted"] is True
    assert error_of(lambda: client.users_info(user="U_NOPE")) == "user_not_found"

    names = {m["name"] for m in client.users_list()["members"]}
    assert {"ada", "alice", "bob", "carol", "dan", "gone", "robot"} <= names


def test_views_open_update_and_publish(standin: SlackStandin, client: WebClient) -> None:
    modal = {
        "type": "modal",
        "callback_id": "join",
        "title": {"type": "plain_text", "text": "Join"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}],
    }
    opened = client.views_open(trigger_id="123.456", view=modal)["view"]
    assert opened["id"].startswith("V") and opened["callback_id"] == "join"

    changed = dict(modal, title={"type": "plain_text", "text": "Joined"})
    updated = client.views_update(view_id=opened["id"], view=changed, hash=opened["hash"])["view"]
    assert updated["id"] == opened["id"] and updated["title"]["text"] == "Joined"
    assert (
        error_of(lambda: client.views_update(view_id=opened["id"], view=changed, hash=opened["hash"]))
        == "hash_conflict"
    )
    assert error_of(lambda: client.views_update(view_id="V_NOPE", view=changed)) == "not_found"
    assert error_of(lambda: client.views_open(trigger_id="", view=modal)) == "invalid_arguments"

    home = {"type": "home", "blocks": [{"type": "divider"}]}
    published = client.views_publish(user_id="U_ALICE", view=home)["view"]
    assert client.views_publish(user_id="U_ALICE", view=home)["view"]["id"] == published["id"]
    assert standin.workspace.views.home("U_ALICE") is not None
    assert error_of(lambda: client.views_publish(user_id="U_ALICE", view=modal)) == "invalid_arguments"


def test_reactions_and_pins_answer_ok(client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C_GENERAL", text="pin me")
    assert client.reactions_add(channel="C_GENERAL", timestamp=posted["ts"], name="tada")["ok"]
    assert client.pins_add(channel="C_GENERAL", timestamp=posted["ts"])["ok"]


def test_on_call_and_reset(standin: SlackStandin, client: WebClient) -> None:
    seen: list[RecordedCall] = []
    standin.on_call(seen.append)
    client.chat_postMessage(channel="C_GENERAL", text="hello")
    assert [c.method for c in seen] == ["chat.postMessage"]

    standin.fail_next("auth.test", status=500)
    standin.reset()
    assert standin.calls == [] and standin.violations == []
    assert client.auth_test()["ok"]
    assert len(standin.workspace.history("C_GENERAL")) == 1


@pytest.mark.traceback_expected  # the stand-in logs the broken callback and still answers
def test_a_failing_callback_does_not_break_the_answer(standin: SlackStandin, client: WebClient) -> None:
    def explode(call: RecordedCall) -> None:
        raise RuntimeError("boom")

    standin.on_call(explode)
    assert client.auth_test()["ok"]


def test_calls_returns_a_copy(standin: SlackStandin, client: WebClient) -> None:
    client.auth_test()
    standin.calls.clear()
    assert len(standin.calls) == 1


def test_response_url_posts_are_recorded(standin: SlackStandin) -> None:
    url = standin.response_url("cmd-1")
    answer = WebhookClient(url).send(text="done", response_type="ephemeral")
    assert answer.status_code == 200

    [call] = standin.calls_to("response_url")
    assert call.key == "cmd-1" and call.ok
    assert call.params == {"text": "done", "response_type": "ephemeral"}


def test_response_url_refuses_bad_blocks(standin: SlackStandin) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    answer = WebhookClient(standin.response_url("k")).send(text="x", blocks=blocks)
    assert answer.status_code == 400
    assert standin.violations and standin.violations[0].startswith("response_url: ")


def test_get_with_query_string(standin: SlackStandin) -> None:
    request = urllib.request.Request(f"{standin.url}users.info?user=U_ALICE&token=xoxb-test")
    with urllib.request.urlopen(request, timeout=5) as answer:
        body = json.loads(answer.read())
    assert body["user"]["name"] == "alice"


def test_url_before_start_is_an_error() -> None:
    with pytest.raises(RuntimeError):
        _ = SlackStandin().url
