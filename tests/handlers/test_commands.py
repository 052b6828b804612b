"""`/cop` over real HTTP: help, unknown subcommands, usage, permissions, signature checks."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Community, SeenEvent
from tests.conftest import RunningCopbot
from tests.factories import add_community


def test_help_answers_ephemerally_within_three_seconds(running: RunningCopbot) -> None:
    response = running.command("help")
    assert response.status == 200
    assert response.elapsed < 3.0
    reply = response.json()
    assert reply["response_type"] == "ephemeral"
    assert "/cop join NAME" in reply["text"]
    assert "Workspace admins" not in reply["text"], "a plain user is not shown admin commands"


def test_empty_text_is_help(running: RunningCopbot) -> None:
    reply = running.command("").json()
    assert "/cop list" in reply["text"]


def test_admin_help_includes_admin_and_coordinator_groups(running: RunningCopbot) -> None:
    reply = running.command("help", user="U_ADMIN").json()
    assert "Workspace admins" in reply["text"] and "/cop create NAME PURPOSE…" in reply["text"]
    assert "Coordinators" in reply["text"]


def test_help_for_slack_admin_not_in_copbot_admins_asks_users_info_once(running: RunningCopbot) -> None:
    running.standin.workspace.user("U_CAROL").is_admin = True
    for _ in range(3):
        assert "Workspace admins" in running.command("help", user="U_CAROL").json()["text"]
    asked = [call for call in running.standin.calls_to("users.info") if call.params.get("user") == "U_CAROL"]
    assert len(asked) == 1, "users.info is cached"


def test_unknown_subcommand_gets_usage_and_a_suggestion(running: RunningCopbot) -> None:
    reply = running.command("jion python").json()
    assert reply["response_type"] == "ephemeral"
    assert "Did you mean `/cop join`?" in reply["text"]
    assert "/cop help" in reply["text"]


def test_unknown_subcommand_text_is_escaped(running: RunningCopbot) -> None:
    assert "<!channel>" not in running.command("<!channel>").json()["text"], "a real @channel token"
    reply = running.command("&lt;!channel&gt;").json()  # typed literally: Slack sends it encoded
    assert "<!channel>" not in reply["text"]
    assert "`/cop &lt;!channel&gt;`" in reply["text"]


def test_missing_argument_gets_that_subcommands_usage(running: RunningCopbot) -> None:
    reply = running.command("join").json()
    assert reply["text"].startswith("Usage: `/cop join NAME`")


def test_unknown_community_names_the_closest(running: RunningCopbot) -> None:
    with running.copbot.sessions.begin() as session:
        add_community(session, name="python", now=running.clock.now())
        add_community(session, name="data-science", channel_id="C_DATA", now=running.clock.now())
    reply = running.command("info pyhton").json()
    assert "I don't know a community called `pyhton`" in reply["text"]
    assert "`python`" in reply["text"] and "data-science" not in reply["text"]


def test_non_admin_is_told_which_role_is_needed_and_nothing_is_stored(running: RunningCopbot) -> None:
    reply = running.command("create ux People who design things", user="U_BOB").json()
    assert "only a workspace admin" in reply["text"]
    with running.copbot.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Community)) == 0


def test_coordinator_subcommand_refused_to_a_plain_member(running: RunningCopbot) -> None:
    with running.copbot.sessions.begin() as session:
        add_community(session, name="python", now=running.clock.now())
    reply = running.command("archive python", user="U_BOB").json()
    assert "only a coordinator of *python* (or a workspace admin)" in reply["text"]


def test_community_name_may_be_left_out_in_its_channel(running: RunningCopbot) -> None:
    with running.copbot.sessions.begin() as session:
        add_community(session, name="python", now=running.clock.now())
    reply = running.command("archive", user="U_BOB", channel="C_PYTHON").json()
    assert "only a coordinator of *python*" in reply["text"]


def test_bad_signature_gets_401_and_stores_nothing(running: RunningCopbot) -> None:
    event = {"type": "message", "channel": "C_PYTHON", "user": "U_BOB", "text": "hi", "ts": "1772442000.000100"}
    from bot.sandbox.standin.requests import event_body

    response = running.slack.post(
        event_body(event, event_id="EvFORGED"), content_type="application/json", signature="v0=" + "0" * 64
    )
    assert response.status == 401
    with running.copbot.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SeenEvent)) == 0


def test_timestamp_older_than_five_minutes_gets_401(running: RunningCopbot) -> None:
    import time

    from bot.sandbox.standin.requests import event_body

    event = {"type": "message", "channel": "C_PYTHON", "user": "U_BOB", "text": "hi", "ts": "1772442000.000100"}
    response = running.slack.post(
        event_body(event, event_id="EvSTALE"), content_type="application/json", timestamp=int(time.time()) - 301
    )
    assert response.status == 401
    with running.copbot.sessions() as session:
        assert session.scalar(select(func.count()).select_from(SeenEvent)) == 0
