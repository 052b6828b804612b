"""Input an attacker or a careless paste would send: every one gets a clear answer, nothing half-stored, no 500.

Each test here is a defect found by trying copbot as an attacker would (issue "Hardening").
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.sandbox.standin import Channel
from storage.models import Community, ExpertiseKeyword, Question, Resource
from tests.conftest import RunningCopbot
from tests.handlers.test_resources import setup, share_values, stored


def communities(running: RunningCopbot) -> list[str]:
    with running.copbot.sessions() as session:
        return list(session.scalars(select(Community.name)))


def test_a_name_with_a_trailing_newline_is_refused_not_a_lookalike(running: RunningCopbot) -> None:
    reply = running.command('create "python-guild\n" Python at work', user="U_ADMIN", channel="C_PYTHON").json()
    assert reply["text"].startswith("A community name is 2–40 lowercase letters")
    for invisible in ("python\u200bguild", "python\u00adguild", "pythonguild\u2028"):
        refused = running.command(f"create {invisible} Python at work", user="U_ADMIN", channel="C_PYTHON").json()
        assert refused["text"].startswith("A community name is"), invisible
    assert communities(running) == []


def test_names_are_compared_after_unicode_normalisation(running: RunningCopbot) -> None:
    running.command("create ｐｙｔｈｏｎ-guild Python at work", user="U_ADMIN", channel="C_PYTHON")
    assert communities(running) == ["python-guild"]
    assert "Welcome to *python-guild*" in running.command("join ＰＹＴＨＯＮ-GUILD", user="U_BOB").json()["text"]
    taken = running.command("create python-guild Again", user="U_ADMIN", channel="C_GENERAL").json()["text"]
    assert "already a community called `python-guild`" in taken


UNREADABLE_URLS = ("https://example.org]/x", "http://[::1", "https://x.org：8080/", "https://x.org:99999/")


@pytest.mark.parametrize("url", UNREADABLE_URLS)
def test_unreadable_links_get_a_clear_answer_by_command_and_by_form(running: RunningCopbot, url: str) -> None:
    setup(running)
    reply = running.command(f"share python {url} A title", user="U_BOB")
    assert reply.status == 200 and "is not a link I can read" in reply.json()["text"]
    running.command("share", user="U_BOB", channel="C_PYTHON")
    view = running.standin.calls_to("views.open")[-1].params["view"]
    answer = running.slack.view_submission(
        user_id="U_BOB",
        callback_id="resource_share",
        values=share_values(url=url, title="A title"),
        private_metadata=view["private_metadata"],
    )
    assert answer.status == 200 and "is not a link I can read" in answer.json()["errors"]["url"]
    assert stored(running) == []


def test_nul_and_control_characters_never_reach_the_database(either: RunningCopbot) -> None:
    running = either
    setup(running)
    assert running.command("ask python Why\x00 does\x07 this fail?", user="U_BOB").status == 200
    assert running.command("profile python\x00, packaging\x1b", user="U_BOB").status == 200
    assert running.command("share python https://example.org/a\x00b Nul\x00title", user="U_BOB").status == 200
    running.command("share", user="U_BOB", channel="C_PYTHON")
    view = running.standin.calls_to("views.open")[-1].params["view"]
    running.slack.view_submission(
        user_id="U_BOB",
        callback_id="resource_share",
        values=share_values(kind="tip", title="Tab\tkept, NUL\x00 not", note="line one\nline\x00 two"),
        private_metadata=view["private_metadata"],
    )
    with running.copbot.sessions() as session:
        assert session.scalars(select(Question.text)).all() == ["Why does this fail?"]
        assert sorted(session.scalars(select(ExpertiseKeyword.keyword))) == ["packaging", "python"]
        resources = session.execute(select(Resource.url, Resource.title, Resource.note).order_by(Resource.id)).all()
    assert [tuple(row) for row in resources] == [
        ("https://example.org/ab", "Nultitle", ""),
        (None, "Tab\tkept, NUL not", "line one\nline two"),
    ]


def test_a_link_too_long_for_slack_is_refused_and_a_long_one_is_cut_to_a_title(running: RunningCopbot) -> None:
    setup(running)
    huge = "https://example.org/" + "a" * 3000
    ampersands = "https://example.org/?" + "&" * 8100
    for url in (huge, ampersands):
        reply = running.command(f"share python {url}", user="U_BOB").json()
        assert reply["text"].startswith("That link is too long to share") and len(reply["text"]) < 200
    assert stored(running) == []
    long_url = "https://example.org/" + "b" * 1900
    running.command(f"share python {long_url}", user="U_BOB")
    [resource] = stored(running)
    assert resource.url == long_url and len(resource.title) == 200 and resource.title.endswith("…")
    running.deliver()
    [review] = running.standin.messages_to("U_CAROL")
    assert review.ok  # within Slack's limits; the fixture also fails on any Block Kit violation


def test_a_title_that_reads_as_another_address_is_refused(running: RunningCopbot) -> None:
    setup(running)
    for title in ("https://docs.python.org/3/", "docs.python.org/3/tutorial", "www.python.org"):
        reply = running.command(f"share python https://evil.example/login {title}", user="U_BOB").json()
        assert "reads as a link to `" in reply["text"] and "goes to `evil.example`" in reply["text"], title
    assert stored(running) == []
    running.command("share python https://www.python.org/downloads/ python.org/downloads", user="U_BOB")
    running.command("share python https://evil.example/login Python docs", user="U_BOB")
    assert [r.title for r in stored(running)] == ["python.org/downloads", "Python docs"]


def test_every_rendered_link_shows_the_host_it_leads_to(running: RunningCopbot) -> None:
    setup(running)
    running.command("share python https://pyth\u03bfn.org/login Python docs", user="U_BOB")
    running.deliver()
    [review] = running.standin.messages_to("U_CAROL")
    assert "|Python docs> (xn--pythn-" in json.dumps(review.params["blocks"], ensure_ascii=False)
    found = running.command("resources python", user="U_BOB").json()
    assert "|Python docs> (xn--pythn-" in json.dumps(found["blocks"], ensure_ascii=False)


def test_more_pages_through_a_long_search_in_cyrillic(running: RunningCopbot) -> None:
    setup(running)
    word = "документация" * 3  # 36 letters
    for n in range(12):
        running.command(f"share python https://example.org/{n} {word} {n}", user="U_BOB")
    query = " ".join([word] * 12)
    first = running.command(f"resources python {query}", user="U_BOB").json()
    more = first["blocks"][-1]["elements"][0]
    assert more["action_id"] == "resources_more" and len(more["value"]) <= 2000
    running.slack.action(
        user_id="U_BOB", action_id="resources_more", value=more["value"], response_url=running.standin.response_url("b")
    )
    [page2] = running.replies()
    assert "11–12 of 12" in str(page2.params["blocks"][0])


def test_a_form_slack_will_not_open_is_explained_to_the_person(running: RunningCopbot) -> None:
    setup(running)
    running.command("join python", user="U_DAN")
    running.deliver()
    [welcome] = [c for c in running.standin.messages_to("U_DAN") if "welcome_introduce" in str(c.params.get("blocks"))]
    button = next(
        e
        for b in welcome.params["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "welcome_introduce"
    )
    running.standin.fail_next("views.open", status=429, retry_after=5)
    running.slack.action(
        user_id="U_DAN",
        action_id="welcome_introduce",
        value=button["value"],
        trigger_id="t1",
        response_url=running.standin.response_url("dan"),
    )
    [told] = running.replies()
    assert told.params["text"] == "Slack didn't let me open the form just now. Please try again."


def test_a_slow_response_url_does_not_hold_up_the_ack(running: RunningCopbot) -> None:
    setup(running)
    running.command("ask python How?", user="U_BOB")
    running.deliver()
    [post] = running.standin.messages_to("C_PYTHON")
    value = post.params["blocks"][-1]["elements"][0]["value"]
    running.standin.fail_next("response_url", delay=3)
    ack = running.slack.action(
        user_id="U_BOB", action_id="question_answered", value=value, response_url=running.standin.response_url("b")
    )
    assert ack.status == 200
    assert running.standin.calls_to("response_url") == []  # acked before Slack was asked anything
    assert [c.params["text"] for c in running.replies()] == ["Marked answered — thank you!"]


def introduce(running: RunningCopbot, user: str, text: str, *, view_id: str | None = None) -> dict:
    with running.copbot.sessions() as session:
        community_id = session.scalar(select(Community.id).where(Community.name == "python"))
    values = {"introduction": {"value": {"type": "plain_text_input", "value": text}}}
    answer = running.slack.view_submission(
        user_id=user,
        callback_id="welcome_introduction",
        values=values,
        private_metadata=str(community_id),
        view_id=view_id,
    )
    assert answer.status == 200
    return answer.json() if answer.body else {}


def introductions(running: RunningCopbot) -> list[str]:
    running.deliver()
    return [
        str(c.params["blocks"]) for c in running.standin.messages_to("C_PYTHON") if "introduces" in c.params["text"]
    ]


def test_only_a_member_introduces_themselves_and_only_once_per_membership(running: RunningCopbot) -> None:
    setup(running)
    assert introduce(running, "U_BOB", "Hi, I'm Bob.") == {}
    again = introduce(running, "U_BOB", "Hi again!")
    assert "already introduced yourself" in again["errors"]["introduction"]
    running.command("leave python", user="U_BOB")
    for attempt in range(5):
        left = introduce(running, "U_BOB", f"Spam {attempt}")
        assert "Only members of python" in left["errors"]["introduction"]
    assert len(introductions(running)) == 1
    with running.copbot.sessions() as session:
        community_id = session.scalar(select(Community.id).where(Community.name == "python"))
    running.standin.reset()
    running.slack.action(  # the welcome DM's button, pressed after leaving
        user_id="U_BOB",
        action_id="welcome_introduce",
        value=str(community_id),
        response_url=running.standin.response_url("b"),
    )
    assert running.standin.calls_to("views.open") == []
    assert "Only members of python" in running.replies()[0].params["text"]


def test_a_form_submitted_four_times_is_stored_once(running: RunningCopbot) -> None:
    setup(running)
    running.command("share", user="U_BOB", channel="C_PYTHON")
    view = running.standin.calls_to("views.open")[-1].params["view"]
    values = share_values(kind="tip", title="Run pytest -x", note="Stop early")
    for _ in range(4):
        answer = running.slack.view_submission(
            user_id="U_BOB",
            callback_id="resource_share",
            values=values,
            private_metadata=view["private_metadata"],
            view_id="V_SHARE_ONCE",
        )
        assert answer.status == 200
    assert [r.title for r in stored(running)] == ["Run pytest -x"]
    assert introduce(running, "U_BOB", "Hi", view_id="V_INTRO") == {}
    assert introduce(running, "U_BOB", "Hi", view_id="V_INTRO") == {}  # the same form again: closed, no error
    assert len(introductions(running)) == 1


def test_a_corrected_form_is_accepted_after_a_refusal(running: RunningCopbot) -> None:
    setup(running)
    running.command("share", user="U_BOB", channel="C_PYTHON")
    view = running.standin.calls_to("views.open")[-1].params["view"]
    first = running.slack.view_submission(
        user_id="U_BOB",
        callback_id="resource_share",
        values=share_values(),
        private_metadata=view["private_metadata"],
        view_id="V1X",
    ).json()
    assert first["response_action"] == "errors"
    running.slack.view_submission(
        user_id="U_BOB",
        callback_id="resource_share",
        values=share_values(kind="tip", title="Fixed"),
        private_metadata=view["private_metadata"],
        view_id="V1X",
    )
    assert [r.title for r in stored(running)] == ["Fixed"]


def test_app_home_opened_many_times_publishes_the_newest_once(running: RunningCopbot) -> None:
    setup(running)
    for index in range(200):
        running.slack.event({"type": "app_home_opened", "user": "U_BOB", "tab": "home"}, event_id=f"EvHome{index:04d}")
    running.deliver()
    assert len(running.standin.calls_to("views.publish")) == 1


def test_a_question_slack_refuses_to_post_is_explained_to_the_asker(running: RunningCopbot) -> None:
    setup(running)
    running.deliver()
    running.standin.reset()
    running.standin.fail_next("chat.postMessage", error="restricted_action_read_only_channel")
    assert "on its way to <#C_PYTHON>" in running.command("ask python How?", user="U_BOB").json()["text"]
    running.deliver()
    [notice] = running.standin.messages_to("U_BOB")
    assert notice.params["text"] == (
        "I couldn't deliver your question in <#C_PYTHON>: only some people may post in that channel."
    )


def test_create_in_a_private_channel_copbot_is_not_in_says_how_to_invite_it(running: RunningCopbot) -> None:
    running.standin.workspace.add_channel(Channel("G_SECRET", "secret", is_private=True, members={"U_ADMIN"}))
    reply = running.command("create secret A private circle", user="U_ADMIN", channel="G_SECRET").json()["text"]
    assert reply.startswith("This is a private channel I'm not in") and "/invite @copbot" in reply
    assert communities(running) == []
    bot = running.copbot.services.bot_user_id or ""
    running.standin.workspace.add_channel(Channel("G_OPEN", "circle", is_private=True, members={"U_ADMIN", bot}))
    created = running.command("create circle A private circle", user="U_ADMIN", channel="G_OPEN").json()["text"]
    assert created.startswith("Created *circle*")
    running.deliver()
    assert running.standin.calls_to("conversations.join") == [], (
        "already in: no join (Slack refuses it for private channels)"
    )


def test_half_a_surrogate_pair_in_a_form_is_stored_as_a_replacement_character(either: RunningCopbot) -> None:
    running = either
    setup(running)
    running.command("share", user="U_BOB", channel="C_PYTHON")
    view = running.standin.calls_to("views.open")[-1].params["view"]
    answer = running.slack.view_submission(
        user_id="U_BOB",
        callback_id="resource_share",
        values=share_values(kind="tip", title="Half \ud83d a smile", note="\udc00"),  # JSON spells them `\ud83d`
        private_metadata=view["private_metadata"],
    )
    assert answer.status == 200
    with running.copbot.sessions() as session:
        stored_rows = session.execute(select(Resource.title, Resource.note)).all()
    assert [tuple(row) for row in stored_rows] == [("Half \ufffd a smile", "\ufffd")]
    running.deliver()
    assert all(call.ok for call in running.standin.calls)


def test_a_command_that_mentions_the_word_payload_is_answered(running: RunningCopbot) -> None:
    # Bolt's own body parser reads any form containing "payload" as an interaction: it came out empty.
    answer = running.command("who payload", user="U_BOB")
    assert answer.status == 200
    assert answer.json()["text"] == "Nobody has listed expertise in “payload” yet. Add yours with `/cop profile`."
    running.command("profile payload, json", user="U_CAROL")
    assert "<@U_CAROL>" in str(running.command("who payload", user="U_BOB").json()["blocks"])
