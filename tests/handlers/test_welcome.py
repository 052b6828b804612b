"""The welcome flow end to end: who gets which DM, claims, reminders, idempotency, workspace newcomers."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from bot.sandbox.standin.requests import event_body
from storage.models import Membership, WelcomeAlert
from tests.conftest import RunningCopbot


def setup_python(running: RunningCopbot, *, support: tuple[str, ...] = ("U_CAROL", "U_DAN")) -> None:
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    for user in support:
        running.command(f"role python <@{user}> support", user="U_ADMIN")
    running.deliver()
    running.standin.reset()


def dm_texts(running: RunningCopbot, user: str) -> list[str]:
    return [str(call.params.get("blocks") or call.params["text"]) for call in running.standin.messages_to(user)]


def memberships(running: RunningCopbot, user: str) -> int:
    with running.copbot.sessions() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Membership)
                .where(Membership.user_id == user, Membership.left_at.is_(None))
            )
            or 0
        )


def claim_button(running: RunningCopbot, user: str) -> tuple[str, dict]:
    [alert] = [call for call in running.standin.messages_to(user) if "welcome_claim" in str(call.params.get("blocks"))]
    value = alert.params["blocks"][1]["elements"][0]["value"]
    return value, alert.response


def test_join_sends_the_newcomer_a_welcome_and_alerts_every_support_holder(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("join python", user="U_BOB")
    running.deliver()
    [welcome] = running.standin.messages_to("U_BOB")
    text = str(welcome.params["blocks"])
    assert "Welcome to *python*" in text and "Python at work" in text
    assert "Coordinators: <@U_ADMIN>" in text and "Member support: <@U_CAROL>, <@U_DAN>" in text
    assert "welcome_introduce" in text and "welcome_expertise" in text
    for volunteer in ("U_CAROL", "U_DAN"):
        assert "<@U_BOB> just joined *python*" in dm_texts(running, volunteer)[0]
    assert dm_texts(running, "U_ADMIN") == [], "coordinators are not alerted while there is member support"


def test_without_support_the_coordinators_get_the_alert(running: RunningCopbot) -> None:
    setup_python(running, support=())
    running.command("join python", user="U_BOB")
    running.deliver()
    assert "<@U_BOB> just joined" in dm_texts(running, "U_ADMIN")[0]


def test_first_claim_wins_and_the_other_alerts_say_who(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("join python", user="U_BOB")
    running.deliver()
    value, _ = claim_button(running, "U_CAROL")
    running.slack.action(
        user_id="U_CAROL", action_id="welcome_claim", value=value, response_url=running.standin.response_url("carol")
    )
    running.deliver()
    updates = {
        call.params["channel"]: str(call.params["blocks"])
        for call in running.standin.calls_to("chat.update")
        if call.ok
    }
    dm = {user: running.standin.workspace.dm_channel_for(user).id for user in ("U_CAROL", "U_DAN")}
    assert "You are welcoming <@U_BOB>" in updates[dm["U_CAROL"]]
    assert "<@U_CAROL> is welcoming <@U_BOB>" in updates[dm["U_DAN"]]
    running.slack.action(
        user_id="U_DAN", action_id="welcome_claim", value=value, response_url=running.standin.response_url("dan")
    )
    told = [call.params["text"] for call in running.replies() if call.key == "dan"]
    assert told == ["<@U_CAROL> is already welcoming <@U_BOB> — thanks anyway!"]
    with running.copbot.sessions() as session:
        alert = session.scalar(select(WelcomeAlert))
        assert alert is not None and alert.claimed_by == "U_CAROL" and alert.claimed_at is not None


def test_join_to_claim_time_is_stored(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("join python", user="U_BOB")
    running.deliver()
    value, _ = claim_button(running, "U_CAROL")
    running.clock.advance(timedelta(minutes=42))
    running.slack.action(user_id="U_CAROL", action_id="welcome_claim", value=value)
    with running.copbot.sessions() as session:
        alert = session.scalar(select(WelcomeAlert))
        assert alert is not None and alert.claimed_at is not None
        assert (alert.claimed_at - alert.created_at) >= timedelta(minutes=42)


def test_two_volunteers_claiming_at_once_give_one_claim(either: RunningCopbot) -> None:
    running = either
    setup_python(running)
    running.command("join python", user="U_BOB")
    running.deliver()
    value, _ = claim_button(running, "U_CAROL")
    threads = [
        threading.Thread(
            target=running.slack.action,
            kwargs={
                "user_id": user,
                "action_id": "welcome_claim",
                "value": value,
                "response_url": running.standin.response_url(user),
            },
        )
        for user in ("U_CAROL", "U_DAN")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    running.deliver()
    replies = sorted(call.params["text"] for call in running.replies())
    assert len(replies) == 2 and sum("yours to welcome" in reply for reply in replies) == 1
    assert len([call for call in running.standin.calls_to("chat.update") if call.ok]) == 2


def test_a_member_cannot_claim(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("join python", user="U_BOB")
    running.deliver()
    value, _ = claim_button(running, "U_CAROL")
    running.slack.action(
        user_id="U_ALICE", action_id="welcome_claim", value=value, response_url=running.standin.response_url("alice")
    )
    assert "Only member support and coordinators" in running.replies()[0].params["text"]
    with running.copbot.sessions() as session:
        assert session.scalar(select(WelcomeAlert.claimed_by)) is None


def test_unclaimed_welcome_is_raised_to_the_coordinators_once(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("join python", user="U_BOB")
    running.deliver()
    assert running.copbot.scheduler is not None
    start = running.clock.now()
    running.clock.advance(timedelta(hours=30))
    running.copbot.scheduler.run_due_between(start, running.clock.now())
    running.clock.advance(timedelta(hours=30))
    running.copbot.scheduler.run_due_between(start + timedelta(hours=30), running.clock.now())
    running.deliver()
    raised = dm_texts(running, "U_ADMIN")
    assert len(raised) == 1 and "nobody has welcomed them yet" in raised[0]
    value = running.standin.messages_to("U_ADMIN")[0].params["blocks"][1]["elements"][0]["value"]
    running.slack.action(user_id="U_ADMIN", action_id="welcome_claim", value=value)
    running.deliver()
    assert len([call for call in running.standin.calls_to("chat.update") if call.ok]) == 3, (
        "both alerts and the reminder"
    )


def test_joining_twice_or_by_channel_after_command_is_one_membership_and_one_welcome(running: RunningCopbot) -> None:
    setup_python(running)
    assert "Welcome to *python*" in running.command("join python", user="U_BOB").json()["text"]
    assert "already a member" in running.command("join python", user="U_BOB").json()["text"]
    event = {"type": "member_joined_channel", "user": "U_BOB", "channel": "C_PYTHON", "channel_type": "C"}
    running.slack.event(event, event_id="EvJoin1")
    running.slack.event(
        event,
        event_id="EvJoin1",
    )
    running.deliver()
    assert memberships(running, "U_BOB") == 1
    assert len(running.standin.messages_to("U_BOB")) == 1


def test_same_member_joined_event_twice_is_one_welcome(running: RunningCopbot) -> None:
    setup_python(running)
    event = {"type": "member_joined_channel", "user": "U_ALICE", "channel": "C_PYTHON", "channel_type": "C"}
    running.slack.event(event, event_id="EvDup")
    running.slack.post(
        event_body(event, event_id="EvDup"),
        content_type="application/json",
        headers={"X-Slack-Retry-Num": "1"},
    )
    running.deliver()
    assert memberships(running, "U_ALICE") == 1 and len(running.standin.messages_to("U_ALICE")) == 1


def test_ten_concurrent_joins_give_one_membership_and_one_welcome(either: RunningCopbot) -> None:
    running = either
    setup_python(running)
    threads = [
        threading.Thread(target=running.command, args=("join python",), kwargs={"user": "U_BOB"}) for _ in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    running.deliver()
    assert memberships(running, "U_BOB") == 1
    assert len(running.standin.messages_to("U_BOB")) == 1
    assert len(running.standin.messages_to("U_CAROL")) == 1


def test_leaving_and_rejoining_is_a_new_membership_with_its_own_welcome(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("join python", user="U_BOB")
    running.slack.event(
        {"type": "member_left_channel", "user": "U_BOB", "channel": "C_PYTHON", "channel_type": "C"}, event_id="EvLeft"
    )
    assert memberships(running, "U_BOB") == 0
    running.slack.event(
        {"type": "member_joined_channel", "user": "U_BOB", "channel": "C_PYTHON", "channel_type": "C"},
        event_id="EvBack",
    )
    running.deliver()
    assert memberships(running, "U_BOB") == 1
    assert len(running.standin.messages_to("U_BOB")) == 2
    with running.copbot.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Membership).where(Membership.user_id == "U_BOB")) == 2


def test_leave_by_command(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("join python", user="U_BOB")
    assert "You've left *python*" in running.command("leave python", user="U_BOB").json()["text"]
    assert "not a member" in running.command("leave python", user="U_BOB").json()["text"]


def test_bots_and_the_bot_itself_joining_the_channel_are_not_welcomed(running: RunningCopbot) -> None:
    setup_python(running)
    for user, event_id in (("U_ROBOT", "EvBot"), ("UBOT", "EvSelf")):
        running.slack.event(
            {"type": "member_joined_channel", "user": user, "channel": "C_PYTHON", "channel_type": "C"},
            event_id=event_id,
        )
    running.deliver()
    assert memberships(running, "U_ROBOT") == memberships(running, "UBOT") == 0
    assert running.standin.calls_to("chat.postMessage") == []


def test_join_button_joins_and_answers_ephemerally(running: RunningCopbot) -> None:
    setup_python(running)
    running.slack.action(
        user_id="U_BOB", action_id="community_join", value="python", response_url=running.standin.response_url("bob")
    )
    [reply] = running.replies()
    assert reply.params["response_type"] == "ephemeral" and "Welcome to *python*" in reply.params["text"]
    assert memberships(running, "U_BOB") == 1


def test_introduce_yourself_posts_the_introduction_in_the_channel_escaped(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("join python", user="U_BOB")
    running.deliver()
    running.slack.action(user_id="U_BOB", action_id="welcome_introduce", value=_community_id(running), trigger_id="t1")
    [opened] = running.standin.calls_to("views.open")
    values = {"introduction": {"value": {"type": "plain_text_input", "value": "Hi <!channel>, I test things."}}}
    assert (
        running.slack.view_submission(
            user_id="U_BOB",
            callback_id="welcome_introduction",
            values=values,
            private_metadata=opened.params["view"]["private_metadata"],
        ).status
        == 200
    )
    running.deliver()
    [posted] = [call for call in running.standin.calls_to("chat.postMessage") if call.params["channel"] == "C_PYTHON"]
    assert "&lt;!channel&gt;" in str(posted.params["blocks"]) and "<!channel>" not in str(posted.params)
    empty = {"introduction": {"value": {"type": "plain_text_input", "value": "  "}}}
    answer = running.slack.view_submission(
        user_id="U_BOB",
        callback_id="welcome_introduction",
        values=empty,
        private_metadata=opened.params["view"]["private_metadata"],
    ).json()
    assert answer["response_action"] == "errors"


def test_set_my_expertise_saves_keywords(running: RunningCopbot) -> None:
    setup_python(running)
    running.slack.action(user_id="U_BOB", action_id="welcome_expertise", trigger_id="t2")
    assert running.standin.calls_to("views.open")[0].params["view"]["callback_id"] == "expertise_set"
    values = {"expertise": {"value": {"type": "plain_text_input", "value": "Python, pytest, python"}}}
    running.slack.view_submission(user_id="U_BOB", callback_id="expertise_set", values=values)
    running.command("join python", user="U_BOB")
    assert "_python, pytest_" in str(running.command("members python", user="U_BOB").json()["blocks"])


def test_workspace_newcomer_gets_one_dm_with_join_buttons(running: RunningCopbot) -> None:
    setup_python(running)
    user = {"id": "U_NEW", "name": "newbie", "is_bot": False, "deleted": False}
    running.slack.event({"type": "team_join", "user": user}, event_id="EvTeam1")
    running.slack.event({"type": "team_join", "user": user}, event_id="EvTeam2")
    running.slack.event({"type": "team_join", "user": {"id": "U_BOT2", "is_bot": True}}, event_id="EvTeam3")
    running.slack.event({"type": "team_join", "user": {"id": "U_OLD", "deleted": True}}, event_id="EvTeam4")
    running.deliver()
    [greeting] = running.standin.calls_to("chat.postMessage")
    assert greeting.params["channel"] == "U_NEW" and "community_join" in str(greeting.params["blocks"])


def test_app_home_shows_communities_and_waiting_newcomers(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("join python", user="U_BOB")
    running.slack.event({"type": "app_home_opened", "user": "U_CAROL", "tab": "home"}, event_id="EvHome1")
    running.deliver()
    [published] = running.standin.calls_to("views.publish")
    view = str(published.params["view"])
    assert published.params["user_id"] == "U_CAROL"
    assert "*python*" in view and "member support" in view and "<@U_BOB> joined *python*" in view


def test_app_home_shows_the_review_queue_to_the_resources_holder(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("role python <@U_DAN> resources", user="U_ADMIN")
    running.command("join python", user="U_BOB")
    running.command("share python https://example.org/guide The guide", user="U_BOB")
    for user, event_id in (("U_DAN", "EvHomeDan"), ("U_BOB", "EvHomeBob")):
        running.slack.event({"type": "app_home_opened", "user": user, "tab": "home"}, event_id=event_id)
    running.deliver()
    views = {call.params["user_id"]: str(call.params["view"]) for call in running.standin.calls_to("views.publish")}
    assert "Resources to review" in views["U_DAN"] and "The guide" in views["U_DAN"]
    assert "Resources to review" not in views["U_BOB"] and "Latest resources" in views["U_BOB"]


def _community_id(running: RunningCopbot) -> str:
    from storage.models import Community

    with running.copbot.sessions() as session:
        return str(session.scalar(select(Community.id)))
