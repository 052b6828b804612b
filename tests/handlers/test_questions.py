"""Questions end to end: posted in the channel, thread replies counted, marked answered once."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Question
from tests.conftest import RunningCopbot


def ask(running: RunningCopbot, text: str = "How do you pin dependencies?") -> dict:
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    running.command("join python", user="U_BOB")
    running.deliver()
    running.standin.reset()
    reply = running.command(f"ask python {text}", user="U_BOB").json()
    running.deliver()
    return reply


def question(running: RunningCopbot) -> Question:
    with running.copbot.sessions() as session:
        found = session.scalar(select(Question))
        assert found is not None
        return found


def test_ask_posts_in_the_channel_with_mark_answered(running: RunningCopbot) -> None:
    reply = ask(running)
    assert reply["text"].startswith("Your question is on its way to <#C_PYTHON>")
    [post] = running.standin.messages_to("C_PYTHON")
    assert "How do you pin dependencies?" in str(post.params["blocks"])
    assert post.params["blocks"][-1]["elements"][0]["action_id"] == "question_answered"
    stored = question(running)
    assert (stored.asked_by, stored.text, stored.answered_at) == ("U_BOB", "How do you pin dependencies?", None)


def test_non_members_cannot_ask_and_nothing_is_stored(running: RunningCopbot) -> None:
    ask(running)
    assert "only a member of *python*" in running.command("ask python Anything?", user="U_DAN").json()["text"]
    with running.copbot.sessions() as session:
        assert len(list(session.scalars(select(Question)))) == 1


def test_thread_replies_are_counted_but_not_stored(running: RunningCopbot) -> None:
    ask(running)
    [post] = running.standin.messages_to("C_PYTHON")
    parent_ts = post.response["ts"]
    for index, user in enumerate(("U_ALICE", "U_ADMIN")):
        running.slack.event(
            {
                "type": "message",
                "channel": "C_PYTHON",
                "user": user,
                "text": "use a lock file",
                "ts": f"1772442{index}00.000100",
                "thread_ts": parent_ts,
            },
            event_id=f"EvReply{index}",
        )
    running.slack.event(
        {"type": "message", "channel": "C_PYTHON", "user": "U_ALICE", "text": "unrelated", "ts": "1772443000.000100"},
        event_id="EvTop",
    )
    stored = question(running)
    assert stored.reply_count == 2 and stored.message_ts == parent_ts


def test_mark_answered_by_the_asker_updates_the_post_once(running: RunningCopbot) -> None:
    ask(running)
    question_id = str(question(running).id)
    running.slack.action(
        user_id="U_ALICE",
        action_id="question_answered",
        value=question_id,
        response_url=running.standin.response_url("alice"),
    )
    assert "Only the person who asked" in running.replies()[0].params["text"]
    assert question(running).answered_at is None
    running.slack.action(
        user_id="U_BOB",
        action_id="question_answered",
        value=question_id,
        response_url=running.standin.response_url("bob"),
    )
    running.slack.action(
        user_id="U_ADMIN",
        action_id="question_answered",
        value=question_id,
        response_url=running.standin.response_url("ada"),
    )
    running.deliver()
    answers = {call.key: call.params["text"] for call in running.replies()}
    assert answers["bob"] == "Marked answered — thank you!" and answers["ada"] == "<@U_BOB> already marked it answered."
    stored = question(running)
    assert stored.answered_by == "U_BOB" and stored.answered_at is not None
    [update] = [c for c in running.standin.calls_to("chat.update") if c.ok]
    assert "Answered — marked by <@U_BOB>" in str(update.params["blocks"]) and "question_answered" not in str(
        update.params["blocks"]
    )


def test_a_coordinator_may_mark_answered(running: RunningCopbot) -> None:
    ask(running)
    running.command("role python <@U_CAROL|carol> coordinator", user="U_ADMIN")
    question_id = str(question(running).id)
    running.slack.action(
        user_id="U_CAROL",
        action_id="question_answered",
        value=question_id,
        response_url=running.standin.response_url("carol"),
    )
    assert running.replies()[0].params["text"] == "Marked answered — thank you!"
    assert question(running).answered_by == "U_CAROL"


def test_question_text_is_escaped(running: RunningCopbot) -> None:
    ask(running, "Why does &lt;!channel&gt; ping <@U_ADMIN|ada> &amp; <!here>?")
    [post] = running.standin.messages_to("C_PYTHON")
    shown = str(post.params)
    assert "<!channel>" not in shown and "<!here>" not in shown and "<@U_ADMIN>" not in shown
    assert "Why does &lt;!channel&gt; ping @ada &amp; @here?" in shown
