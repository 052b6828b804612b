"""Rhythms end to end over HTTP: schedules, prompts, check-ins, surveys and the digest; who got what, what was stored."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, inspect, select

from bot.sandbox.standin import validate_message
from bot.sandbox.standin.workspace import Channel, User
from storage.models import (
    CheckIn,
    DiscussionPrompt,
    Membership,
    OutboxMessage,
    Schedule,
    SurveyParticipation,
    SurveyRound,
    WelcomeAlert,
)
from tests.conftest import RunningCopbot


def setup_python(running: RunningCopbot, *, members: tuple[str, ...] = ("U_ALICE", "U_BOB", "U_DAN")) -> None:
    """#python with Ada coordinating, Carol in member support, and some members; nothing delivered waits."""
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    running.command("role python <@U_CAROL> support", user="U_ADMIN")
    for member in members:
        running.command("join python", user=member)
    running.deliver()
    running.standin.reset()


def texts(running: RunningCopbot, user: str) -> list[str]:
    return [str(call.params.get("blocks") or call.params["text"]) for call in running.standin.messages_to(user)]


def count(running: RunningCopbot, model: Any) -> int:
    with running.copbot.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def run_jobs_until(running: RunningCopbot, moment: datetime) -> list[str]:
    """Move the clock to `moment`, run what came due on the way, deliver; the runs' summaries."""
    start = running.clock.now()
    running.clock.advance(moment - start)
    results = running.copbot.scheduler.run_due_between(start, moment)
    running.deliver()
    return [f"{r.job}: {r.summary}" for r in results if r.community]


def buttons(call_params: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in call_params.get("blocks") or []
        for element in ([block.get("accessory")] if block.get("accessory") else block.get("elements", []))
        if element and element.get("type") == "button"
    ]


# -- schedules


def test_a_member_sees_the_four_schedules_in_words_with_next_runs(running: RunningCopbot) -> None:
    setup_python(running)
    shown = str(running.command("schedule python", user="U_BOB").json()["blocks"])
    assert "*Digest* — every Monday at 09:00 (UTC)" in shown
    assert "*Discussion prompts* — every Wednesday at 10:00 (UTC)" in shown
    assert "*Check-ins* — off" in shown
    assert "*Review survey* — quarterly: the first Monday of January, April, July and October at 10:00 (UTC)" in shown
    assert "next: <!date^1773046800^" in shown and "last: never" in shown  # Monday 9 March 09:00 UTC


def test_a_coordinator_changes_a_schedule_and_hears_the_next_three_runs(running: RunningCopbot) -> None:
    setup_python(running)
    reply = running.command("schedule python digest weekly fri 16:30 Europe/Berlin", user="U_ADMIN").json()["text"]
    assert reply.startswith("The digest of *python* now runs every Friday at 16:30 (Europe/Berlin). Next runs: ")
    assert reply.count("<!date^") == 3 and "Fri 06 Mar 2026 16:30 CET" in reply
    with running.copbot.sessions() as session:
        stored = session.scalar(select(Schedule))
    assert stored is not None and (stored.job, stored.spec, stored.timezone) == (
        "digest",
        "weekly fri 16:30",
        "Europe/Berlin",
    )
    off = running.command("schedule python digest off", user="U_ADMIN").json()["text"]
    assert off.startswith("The digest of *python* is off now.")


@pytest.mark.parametrize(
    ("user", "text", "answer"),
    [
        ("U_BOB", "schedule python digest weekly fri 16:30", "only a coordinator of *python*"),
        ("U_ADMIN", "schedule python digest every day", "Forms: `weekly DAY HH:MM` (weekly mon 09:00)"),
        ("U_ADMIN", "schedule python digest weekly fri 16:30 Europe/Berln", "Did you mean `Europe/Berlin`"),
        ("U_ADMIN", "schedule python standup weekly fri 16:30", "`standup` is not a job. Jobs are `digest`"),
        ("U_ADMIN", "schedule python digest */5 * * * *", "more than once an hour"),
        ("U_ADMIN", "schedule python digest weekly mon 09:00 <!channel>", "time zone `&lt;!channel&gt;`"),
        (
            "U_ADMIN",
            "schedule python digest <!here|here> 1 2 3 4",
            "I can't read the cron expression `&lt;!here|here&gt;",
        ),
    ],
)
def test_a_refused_schedule_change_says_why_and_stores_nothing(
    running: RunningCopbot, user: str, text: str, answer: str
) -> None:
    setup_python(running)
    reply = running.command(text, user=user).json()
    assert answer in reply["text"] and reply["response_type"] == "ephemeral"
    assert "<!" not in reply["text"], "what was typed is quoted escaped: it pings nobody"
    assert count(running, Schedule) == 0


# -- discussion prompts


def test_prompts_queue_then_post_in_order_on_the_prompt_schedule_and_replies_are_counted(
    running: RunningCopbot,
) -> None:
    setup_python(running)
    # Slack sends a typed @channel as `<!channel>`; copbot keeps it as words that ping nobody.
    first = running.command("prompt python What did <!channel> &lt;b&gt; learn?", user="U_ADMIN").json()["text"]
    assert "as number 1" in first and "What did @channel &lt;b&gt; learn?" in first and "<!channel>" not in first
    assert "this one on <!date^1772618400^" in first  # Wednesday 4 March 10:00 UTC
    running.command("prompt python Which test saved you?", user="U_ADMIN")
    listed = running.command("prompts python", user="U_ADMIN").json()
    removes = [b for b in buttons(listed) if b["action_id"] == "prompt_remove"]
    assert len(removes) == 2 and "1. “What did @channel &lt;b&gt; learn?”" in str(listed["blocks"])
    info = str(running.command("info python", user="U_BOB").json()["blocks"])
    assert "*Next discussion*\\n“What did @channel &lt;b&gt; learn?” — <!date^1772618400^" in info

    summaries = run_jobs_until(running, datetime(2026, 3, 4, 10, 1, tzinfo=UTC))
    assert "prompt: posted “What did @channel <b> learn?” (1 still queued)" in summaries
    [post] = running.standin.messages_to("C_PYTHON")
    assert ">What did @channel &lt;b&gt; learn?" in str(post.params["blocks"]) and "<!channel>" not in str(post.params)
    for user in ("U_ALICE", "U_BOB"):
        reply = running.standin.workspace.add_message("C_PYTHON", user=user, text="hi", thread_ts=post.response["ts"])
        event = {
            "type": "message",
            "channel": "C_PYTHON",
            "user": user,
            "text": "hi",
            "ts": reply.ts,
            "thread_ts": post.response["ts"],
        }
        running.slack.event(event, event_id=f"EvReply{user}")
    listed = str(running.command("prompts python", user="U_ADMIN").json()["blocks"])
    assert "*Recently posted*" in listed and "2 replies" in listed
    with running.copbot.sessions() as session:
        prompts = session.scalars(select(DiscussionPrompt).order_by(DiscussionPrompt.id)).all()
    assert [(p.posted_at is not None, p.reply_count) for p in prompts] == [(True, 2), (False, 0)]


def test_an_empty_queue_posts_nothing(running: RunningCopbot) -> None:
    setup_python(running)
    assert "prompt: nothing queued, nothing posted" in run_jobs_until(running, datetime(2026, 3, 4, 10, 1, tzinfo=UTC))
    assert running.standin.messages_to("C_PYTHON") == []
    assert "*Next discussion*\\nnone scheduled" in str(running.command("info python", user="U_BOB").json()["blocks"])


def test_a_member_cannot_queue_or_remove_prompts(running: RunningCopbot) -> None:
    setup_python(running)
    assert "only a coordinator" in running.command("prompt python Hello", user="U_BOB").json()["text"]
    assert count(running, DiscussionPrompt) == 0
    listed = running.command("prompt python Hello", user="U_ADMIN")
    assert listed.status == 200
    [remove] = [
        b
        for b in buttons(running.command("prompts python", user="U_ADMIN").json())
        if b["action_id"] == "prompt_remove"
    ]
    running.slack.action(
        user_id="U_BOB",
        action_id="prompt_remove",
        value=remove["value"],
        response_url=running.standin.response_url("bob"),
    )
    assert "only a coordinator" in running.replies()[-1].params["text"]
    assert count(running, DiscussionPrompt) == 1
    running.slack.action(
        user_id="U_ADMIN",
        action_id="prompt_remove",
        value=remove["value"],
        response_url=running.standin.response_url("ada"),
    )
    assert running.replies()[-1].params["text"] == "Removed “Hello” from the queue of *python*."
    assert count(running, DiscussionPrompt) == 0


def test_the_welcome_dm_names_the_next_discussion(running: RunningCopbot) -> None:
    setup_python(running, members=())
    running.command("prompt python How do you review pull requests?", user="U_ADMIN")
    running.command("join python", user="U_BOB")
    running.deliver()
    [welcome] = texts(running, "U_BOB")
    assert "*Next discussion*\\n“How do you review pull requests?” — <!date^1772618400^" in welcome


# -- check-ins


def checkin_schedule(running: RunningCopbot, when: str = "weekly mon 09:00") -> None:
    running.command(f"schedule python checkin {when}", user="U_ADMIN")


def test_check_ins_reach_each_member_inside_their_own_working_hours(running: RunningCopbot) -> None:
    setup_python(running)  # Alice is in New York, Bob in Tokyo, Dan in UTC
    checkin_schedule(running)
    summaries = run_jobs_until(running, datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    assert "checkin: sent 5 check-ins in each member's working hours" in summaries
    with running.copbot.sessions() as session:
        rows = session.execute(
            select(OutboxMessage.channel, OutboxMessage.sent_at).where(OutboxMessage.kind == "checkin")
        ).all()
    zones = {
        "U_ALICE": "America/New_York",
        "U_BOB": "Asia/Tokyo",
        "U_DAN": "UTC",
        "U_ADMIN": "Europe/London",
        "U_CAROL": "UTC",
    }
    delivered = {}
    for lane, sent_at in rows:
        user = lane.removesuffix("~working-hours")
        assert sent_at is not None, f"{user}'s check-in was not delivered"
        local = sent_at.astimezone(ZoneInfo(zones[user]))
        assert local.weekday() < 5 and 9 <= local.hour < 17, f"{user} got it at {local}"
        delivered[user] = sent_at
    assert set(delivered) == set(zones)
    assert delivered["U_ALICE"] == datetime(2026, 3, 9, 13, 0, tzinfo=UTC), (
        "09:00 in New York (summer time from 8 March)"
    )
    assert delivered["U_BOB"] == datetime(2026, 3, 10, 0, 0, tzinfo=UTC), "18:00 in Tokyo is too late: 09:00 next day"
    assert delivered["U_DAN"] == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def test_a_check_in_answer_updates_the_dm_and_help_alerts_support_once(running: RunningCopbot) -> None:
    setup_python(running)
    checkin_schedule(running)
    running.copbot.scheduler.run("checkin", community="python", force=True)  # now, whatever the hour
    running.deliver()
    [dm] = running.standin.messages_to("U_DAN")
    help_button = next(b for b in buttons(dm.params) if b["value"].endswith(":help"))
    good_button = next(b for b in buttons(dm.params) if b["value"].endswith(":good"))
    for choice in (help_button, good_button, help_button):  # changing one's mind never alerts twice
        running.slack.action(user_id="U_DAN", action_id=choice["action_id"], value=choice["value"])
    running.deliver()
    edits = [
        call
        for call in running.standin.calls_to("chat.update")
        if call.ok and call.params["channel"] == dm.response["channel"]
    ]
    assert "Your answer: :raising_hand: Could use help" in str(edits[-1].params["blocks"])
    alerts = [t for t in texts(running, "U_CAROL") if "could use some help" in t]
    assert len(alerts) == 1 and "<@U_DAN>" in alerts[0]
    with running.copbot.sessions() as session:
        checkin = session.scalar(select(CheckIn).where(CheckIn.user_id == "U_DAN"))
    assert checkin is not None and checkin.answer == "help" and checkin.help_alerted_at is not None


def test_reaching_out_works_like_a_welcome_claim(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("role python <@U_ALICE> support", user="U_ADMIN")
    checkin_schedule(running)
    running.copbot.scheduler.run("checkin", community="python", force=True)
    running.deliver()
    [dm] = running.standin.messages_to("U_DAN")
    choice = next(b for b in buttons(dm.params) if b["value"].endswith(":help"))
    running.slack.action(user_id="U_DAN", action_id=choice["action_id"], value=choice["value"])
    running.deliver()
    [alert] = [c for c in running.standin.messages_to("U_CAROL") if "checkin_help_claim" in str(c.params.get("blocks"))]
    claim = next(b for b in buttons(alert.params) if b["action_id"] == "checkin_help_claim")
    running.slack.action(
        user_id="U_BOB",
        action_id="checkin_help_claim",
        value=claim["value"],
        response_url=running.standin.response_url("bob"),
    )
    assert "Only member support and coordinators" in running.replies()[-1].params["text"]
    for user in ("U_CAROL", "U_ALICE"):
        running.slack.action(
            user_id=user,
            action_id="checkin_help_claim",
            value=claim["value"],
            response_url=running.standin.response_url(user),
        )
    answers = [c.params["text"] for c in running.replies() if c.key in ("U_CAROL", "U_ALICE")]
    assert answers == [
        "Thank you! <@U_DAN> will hear from you — a DM is a good start.",
        "<@U_CAROL> is already reaching out to <@U_DAN> — thanks anyway!",
    ]
    running.deliver()
    edited = {
        c.params["channel"]: str(c.params["blocks"])
        for c in running.standin.calls_to("chat.update")
        if "reaching out" in str(c.params.get("blocks"))
    }
    assert len(edited) == 2 and any("You are reaching out to <@U_DAN>" in text for text in edited.values())


def test_snoozed_and_departed_members_are_skipped_and_only_the_member_may_answer(running: RunningCopbot) -> None:
    setup_python(running)
    checkin_schedule(running)
    running.copbot.scheduler.run("checkin", community="python", force=True)
    running.deliver()
    [dm] = running.standin.messages_to("U_BOB")
    snooze = next(b for b in buttons(dm.params) if b["value"].endswith(":snooze"))
    running.slack.action(
        user_id="U_ALICE",
        action_id=snooze["action_id"],
        value=snooze["value"],
        response_url=running.standin.response_url("alice"),
    )
    assert running.replies()[-1].params["text"] == "That check-in isn't yours to answer."
    running.slack.action(user_id="U_BOB", action_id=snooze["action_id"], value=snooze["value"])
    running.command("leave python", user="U_DAN")
    running.standin.reset()
    summaries = run_jobs_until(running, datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    assert "checkin: sent 3 check-ins in each member's working hours" in summaries  # Ada, Carol, Alice
    assert running.standin.messages_to("U_BOB") == [] and running.standin.messages_to("U_DAN") == []
    running.standin.reset()
    summaries = run_jobs_until(running, datetime(2026, 3, 23, 9, 0, tzinfo=UTC))
    assert len(running.standin.messages_to("U_BOB")) == 1, "two weeks later Bob is asked again"


# -- review surveys


def open_survey(running: RunningCopbot) -> int:
    reply = running.command("survey python", user="U_ADMIN").json()["text"]
    assert reply.startswith("Sent the *python* review survey to 5 members.")
    running.deliver()
    with running.copbot.sessions() as session:
        survey_round = session.scalar(select(SurveyRound))
        assert survey_round is not None
        return survey_round.id


def answer(running: RunningCopbot, user: str, round_id: int, ratings: dict[str, str], story: str = "") -> Any:
    values: dict[str, Any] = {
        key: {"value": {"type": "static_select", "selected_option": {"value": value}}} for key, value in ratings.items()
    }
    values["story"] = {"value": {"type": "plain_text_input", "value": story}}
    return running.slack.view_submission(
        user_id=user, callback_id="survey_submit", values=values, private_metadata=str(round_id)
    )


RATINGS = {"immediate": "4", "potential": "5", "applied": "3", "realised": "2", "reframing": "1"}


def test_survey_invitations_open_the_form_and_an_answer_counts_once(running: RunningCopbot) -> None:
    setup_python(running)
    round_id = open_survey(running)
    [invitation] = running.standin.messages_to("U_BOB")
    [open_button] = buttons(invitation.params)
    running.slack.action(user_id="U_BOB", action_id="survey_open", value=open_button["value"], trigger_id="t1")
    [opened] = running.standin.calls_to("views.open")
    assert opened.params["view"]["callback_id"] == "survey_submit"
    with running.copbot.sessions() as session:
        queued_before = session.scalar(select(func.max(OutboxMessage.id)))
    received = answer(running, "U_BOB", round_id, RATINGS, "It helped").json()
    assert received["response_action"] == "update" and "Your answer to the *python* review survey is in" in str(
        received
    )
    with running.copbot.sessions() as session:
        assert session.scalar(select(func.max(OutboxMessage.id))) == queued_before, "nothing records when Bob answered"
    again = answer(running, "U_BOB", round_id, RATINGS).json()
    assert again["response_action"] == "errors" and "already answered" in str(again["errors"])
    running.slack.action(
        user_id="U_BOB",
        action_id="survey_open",
        value=open_button["value"],
        response_url=running.standin.response_url("b"),
    )
    assert "You already answered this round" in running.replies()[-1].params["text"]
    with running.copbot.sessions() as session:
        survey_round = session.get(SurveyRound, round_id)
        assert survey_round is not None and survey_round.answers == 1
        assert survey_round.tallies["immediate"] == [0, 0, 0, 1, 0] and survey_round.stories == ["It helped"]


def test_a_member_who_left_cannot_answer(running: RunningCopbot) -> None:
    setup_python(running)
    round_id = open_survey(running)
    running.command("leave python", user="U_BOB")
    refused = answer(running, "U_BOB", round_id, RATINGS).json()
    assert refused["response_action"] == "errors" and "you have left it" in str(refused["errors"])


@pytest.mark.parametrize(
    ("ratings", "field"),
    [
        ({**RATINGS, "applied": "7"}, "applied"),
        ({**RATINGS, "realised": "0"}, "realised"),
        ({key: value for key, value in RATINGS.items() if key != "immediate"}, "immediate"),
    ],
)
def test_a_survey_answer_with_a_rating_outside_one_to_five_is_shown_the_error_and_stores_nothing(
    running: RunningCopbot, ratings: dict[str, str], field: str
) -> None:
    setup_python(running)
    round_id = open_survey(running)
    refused = answer(running, "U_BOB", round_id, ratings).json()
    assert refused == {"response_action": "errors", "errors": {field: "Choose a rating from 1 to 5."}}
    with running.copbot.sessions() as session:
        survey_round = session.get(SurveyRound, round_id)
        assert survey_round is not None and survey_round.answers == 0
        assert (
            session.scalar(select(func.count()).select_from(SurveyParticipation).where(SurveyParticipation.answered))
            == 0
        )


def test_results_show_only_once_the_round_has_closed_and_three_members_answered(running: RunningCopbot) -> None:
    setup_python(running)
    round_id = open_survey(running)
    for user in ("U_ALICE", "U_BOB", "U_DAN"):
        story = "<!here> a <https://x.y|link>" if user == "U_DAN" else ""
        answer(running, user, round_id, {**RATINGS, "immediate": "5" if user == "U_DAN" else "4"}, story=story)
    while_open = str(running.command("results python", user="U_ADMIN").json()["blocks"])
    assert "3 of 5 members have answered so far" in while_open and "mean" not in while_open, (
        "figures that change with each answer would tell the fourth answer apart from the first three"
    )
    running.clock.advance(timedelta(days=14))
    shown = str(running.command("results python", user="U_ADMIN").json()["blocks"])
    assert (
        "*Immediate value* — The community's activities were worth my time.\\nmean *4.3* · ratings 1: 0 · 2: 0 · 3: 0 · 4: 2 · 5: 1"
        in shown
    )
    assert "&lt;!here&gt;" in shown and "<!here>" not in shown
    assert "only a coordinator" in running.command("results python", user="U_BOB").json()["text"]


def test_a_closed_round_with_fewer_than_three_answers_stays_hidden(running: RunningCopbot) -> None:
    setup_python(running)
    round_id = open_survey(running)
    for user in ("U_ALICE", "U_BOB"):
        answer(running, user, round_id, RATINGS)
    running.clock.advance(timedelta(days=15))
    hidden = str(running.command("results python", user="U_ADMIN").json()["blocks"])
    assert "2 of 5 members answered" in hidden and "Fewer than 3 members answered" in hidden and "mean" not in hidden


def test_no_table_or_column_links_a_survey_answer_to_a_person(running: RunningCopbot) -> None:
    inspector = inspect(running.copbot.engine)
    round_columns = {column["name"] for column in inspector.get_columns("survey_rounds")}
    assert round_columns == {
        "id",
        "community_id",
        "period",
        "opened_at",
        "closes_at",
        "opened_by",
        "answers",
        "tallies",
        "stories",
    }
    participation_columns = {column["name"] for column in inspector.get_columns("survey_participations")}
    assert participation_columns == {"id", "round_id", "user_id", "answered"}, "who answered, never what or when"
    assert "updated_at" not in round_columns and "answered_at" not in participation_columns
    assert "survey_responses" not in inspector.get_table_names()


def test_a_second_survey_while_one_is_open_is_refused(running: RunningCopbot) -> None:
    setup_python(running)
    open_survey(running)
    again = running.command("survey python", user="U_ADMIN").json()["text"]
    assert "is open until" in again and "0 of 5 answered so far" in again
    assert count(running, SurveyRound) == 1


# -- the digest


def test_the_digest_reaches_each_coordinator_once_with_this_periods_figures(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("role python <@U_CAROL> coordinator", user="U_ADMIN")
    running.command("ask python How do you pin dependencies?", user="U_BOB")
    running.command("share python https://docs.python.org Python docs", user="U_ALICE")
    running.deliver()
    summaries = run_jobs_until(running, datetime(2026, 3, 9, 9, 5, tzinfo=UTC))
    assert "digest: sent the digest to 2 coordinators" in summaries
    for coordinator in ("U_ADMIN", "U_CAROL"):
        [digest] = [t for t in texts(running, coordinator) if "health digest" in t]
        assert "*Members*: 5 (+5) · 4 joined (+4) · 0 left (no change)" in digest
        assert "*Knowledge*: 1 resources shared (+1)" in digest and "Python docs" in digest
        assert "*Questions*: 1 asked (+1)" in digest
    assert run_jobs_until(running, datetime(2026, 3, 9, 10, 0, tzinfo=UTC)) == []
    assert len([t for t in texts(running, "U_ADMIN") if "health digest" in t]) == 1


def test_a_digest_preview_goes_to_the_caller_only(running: RunningCopbot) -> None:
    setup_python(running)
    running.clock.advance(timedelta(days=8))
    reply = running.command("digest python", user="U_ADMIN").json()
    assert reply["response_type"] == "ephemeral" and "health digest" in str(reply["blocks"])
    running.deliver()
    assert not [t for t in texts(running, "U_ADMIN") if "health digest" in t]
    assert "only a coordinator" in running.command("digest python", user="U_BOB").json()["text"]


def test_open_questions_older_than_two_days_are_linked_in_the_digest(running: RunningCopbot) -> None:
    setup_python(running)
    running.command("ask python Who knows &lt;asyncio&gt;?", user="U_BOB")
    running.deliver()
    running.clock.advance(timedelta(days=3))
    shown = str(running.command("digest python", user="U_ADMIN").json()["blocks"])
    [post] = running.standin.messages_to("C_PYTHON")
    link = f"https://copbot-standin.slack.com/archives/C_PYTHON/p{post.response['ts'].replace('.', '')}"
    assert f"<{link}|“Who knows &lt;asyncio&gt;?”> — <@U_BOB>, 0 replies" in shown


def test_with_five_thousand_members_digest_prompts_and_results_keep_inside_block_kit(running: RunningCopbot) -> None:
    """Every reply and DM is checked against Block Kit's limits (the stand-in's checks; the fixture fails on any)."""
    big = [User(f"U{index:05d}", f"member{index}") for index in range(5000)]
    for user in big:
        running.standin.workspace.add_user(user)
    running.standin.workspace.add_channel(Channel("C_BIG", "big", members={"U_ADMIN", *(u.id for u in big)}))
    running.command("create big A big community", user="U_ADMIN", channel="C_BIG")
    running.clock.advance(timedelta(hours=1))
    now = running.clock.now() - timedelta(minutes=30)
    with running.copbot.sessions.begin() as session:
        community_id = session.scalar(select(Membership.community_id).limit(1))
        for index in range(300):
            membership = Membership(community_id=community_id, user_id=f"UNEW{index}", joined_at=now, source="command")
            session.add(membership)
            session.flush()
            session.add(
                WelcomeAlert(
                    membership_id=membership.id, community_id=community_id, newcomer_id=f"UNEW{index}", created_at=now
                )
            )
        for index in range(120):
            session.add(
                DiscussionPrompt(
                    community_id=community_id,
                    text=f"Prompt {index} " + "x" * 1400,
                    queued_by="U_ADMIN",
                    queued_at=now,
                    reply_count=0,
                )
            )
    assert count(running, Membership) == 5301
    with running.copbot.sessions.begin() as session:  # a round 3,000 members answered, each with a long story
        session.add(
            SurveyRound(
                community_id=community_id,
                period="2026-01-05T10:00Z",
                opened_at=now - timedelta(days=30),
                closes_at=now - timedelta(days=16),
                opened_by=None,
                answers=3000,
                tallies={key: [600, 600, 600, 600, 600] for key in RATINGS},
                stories=["story " + "y" * 1900 for _ in range(3000)],
            )
        )
    replies = {
        command: running.command(command, user="U_ADMIN").json()
        for command in ("digest big", "prompts big", "results big")
    }
    for command, reply in replies.items():
        assert validate_message(reply["blocks"], reply["text"]) == [], command
    assert "…and 290 more" in str(replies["digest big"]["blocks"])
    assert "…and 80 more queued." in str(replies["prompts big"]["blocks"])
    assert "…and 2980 more stories." in str(replies["results big"]["blocks"])
    running.standin.reset()
    running.clock.advance(timedelta(days=7))
    assert [r.summary for r in running.copbot.scheduler.run("digest", community="big")] == [
        "sent the digest to 1 coordinator"
    ]
    running.deliver()
    [digest] = running.standin.messages_to("U_ADMIN")
    assert digest.ok and "big: health digest" in str(digest.params["blocks"]) and "…and 290 more" in str(digest.params)


def test_a_survey_submitted_twice_at_once_counts_once(either: RunningCopbot) -> None:
    running = either
    setup_python(running)
    round_id = open_survey(running)
    threads = [threading.Thread(target=answer, args=(running, "U_BOB", round_id, RATINGS, "twice")) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with running.copbot.sessions() as session:
        survey_round = session.get(SurveyRound, round_id)
        assert survey_round is not None and survey_round.answers == 1 and survey_round.stories == ["twice"]
        assert sum(survey_round.tallies["immediate"]) == 1


def test_two_volunteers_reaching_out_at_once_give_one_claim(either: RunningCopbot) -> None:
    running = either
    setup_python(running)
    running.command("role python <@U_ALICE> support", user="U_ADMIN")
    checkin_schedule(running)
    running.copbot.scheduler.run("checkin", community="python", force=True)
    running.deliver()
    [dm] = running.standin.messages_to("U_DAN")
    choice = next(b for b in buttons(dm.params) if b["value"].endswith(":help"))
    running.slack.action(user_id="U_DAN", action_id=choice["action_id"], value=choice["value"])
    running.deliver()
    [alert] = [c for c in running.standin.messages_to("U_CAROL") if "checkin_help_claim" in str(c.params.get("blocks"))]
    claim = next(b for b in buttons(alert.params) if b["action_id"] == "checkin_help_claim")
    threads = [
        threading.Thread(
            target=running.slack.action,
            kwargs={
                "user_id": user,
                "action_id": "checkin_help_claim",
                "value": claim["value"],
                "response_url": running.standin.response_url(user),
            },
        )
        for user in ("U_CAROL", "U_ALICE")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answers = [c.params["text"] for c in running.replies()]
    assert sum("will hear from you" in text for text in answers) == 1 and len(answers) == 2


def test_a_new_communitys_first_digest_is_shown_a_whole_period_ahead_and_the_early_run_is_skipped(
    running: RunningCopbot,
) -> None:
    running.clock.advance(timedelta(days=6))  # Sunday: tomorrow's digest would cover a week the community did not exist
    setup_python(running)
    shown = str(running.command("schedule python", user="U_ADMIN").json()["blocks"])
    assert "*Digest* — every Monday at 09:00 (UTC)\\n    next: <!date^1773651600^" in shown  # Monday 16 March
    assert "digest: skipped: the community is younger than a digest period; its first digest comes next time" in (
        run_jobs_until(running, datetime(2026, 3, 9, 10, 0, tzinfo=UTC))
    )
    assert "digest: sent the digest to 1 coordinator" in run_jobs_until(
        running, datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
    )


def test_a_check_in_still_waiting_for_working_hours_is_withdrawn_when_the_member_leaves(running: RunningCopbot) -> None:
    setup_python(running)
    checkin_schedule(running, "weekly fri 10:00")
    running.clock.advance(datetime(2026, 3, 6, 10, 0, tzinfo=UTC) - running.clock.now())
    running.copbot.scheduler.run_due()
    running.copbot.worker.deliver_due()  # Bob's (Tokyo, 19:00 there) waits for Monday, Alice's for 09:00 in New York
    assert running.copbot.worker.waiting_for_working_hours() == 2
    running.command("leave python", user="U_BOB")
    running.standin.reset()
    running.deliver()  # the clock runs on past Monday morning in Tokyo
    assert running.standin.messages_to("U_BOB") == [] and len(running.standin.messages_to("U_ALICE")) == 1
    with running.copbot.sessions() as session:
        assert (
            session.scalar(select(OutboxMessage.status).where(OutboxMessage.channel == "U_BOB~working-hours"))
            == "withdrawn"
        )


def test_four_could_use_help_clicks_at_once_alert_support_once(either: RunningCopbot) -> None:
    running = either
    setup_python(running)
    checkin_schedule(running)
    running.copbot.scheduler.run("checkin", community="python", force=True)
    running.deliver()
    [dm] = running.standin.messages_to("U_DAN")
    choice = next(b for b in buttons(dm.params) if b["value"].endswith(":help"))
    threads = [
        threading.Thread(
            target=running.slack.action,
            kwargs={"user_id": "U_DAN", "action_id": choice["action_id"], "value": choice["value"]},
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with running.copbot.sessions() as session:
        alerts = session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "checkin_help")
        )
    assert alerts == 1


def test_the_preview_counts_todays_messages(running: RunningCopbot) -> None:
    setup_python(running)
    for index in range(3):
        ts = f"{running.clock.now().timestamp() + index:.6f}"
        event = {"type": "message", "channel": "C_PYTHON", "user": "U_ALICE", "text": "hi", "ts": ts}
        running.slack.event(event, event_id=f"EvToday{index}")
    shown = str(running.command("digest python", user="U_ADMIN").json()["blocks"])
    assert "*Activity*: 1 active members, 20% of members (+1) · 3 messages (+3)" in shown


def test_the_preview_counts_who_joined_this_very_moment(running: RunningCopbot) -> None:
    """Found trying `copbot shell` (whose clock stands still): a preview right after a join said "Members: 0"."""
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    running.command("join python", user="U_BOB", channel="C_GENERAL")
    shown = str(running.command("digest python", user="U_ADMIN").json()["blocks"])
    assert "*Members*: 2 (+2) · 1 joined (+1)" in shown


def test_after_a_schedule_change_the_digest_covers_everything_since_the_last_one(running: RunningCopbot) -> None:
    setup_python(running)
    run_jobs_until(running, datetime(2026, 3, 9, 9, 5, tzinfo=UTC))  # the first digest: 2–9 March
    running.clock.advance(datetime(2026, 3, 16, 8, 30, tzinfo=UTC) - running.clock.now())
    running.command("schedule python digest weekly mon 09:00 Europe/Berlin", user="U_ADMIN")  # 08:00 UTC: passed today
    running.standin.reset()
    summaries = run_jobs_until(running, datetime(2026, 3, 23, 9, 0, tzinfo=UTC))
    assert summaries.count("digest: sent the digest to 1 coordinator") == 1
    [digest] = [t for t in texts(running, "U_ADMIN") if "health digest" in t]
    assert "Mon 09 Mar – Mon 23 Mar 2026 (Europe/Berlin)" in digest, "from the last digest's end: no week left out"
