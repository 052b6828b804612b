"""Sharing, review and search end to end over HTTP against the stand-in."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from storage.models import Resource
from tests.conftest import RunningCopbot


def setup(running: RunningCopbot, *, reviewer: str | None = "U_CAROL") -> None:
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    if reviewer:
        running.command(f"role python <@{reviewer}> resources", user="U_ADMIN")
    running.command("join python", user="U_BOB")
    running.deliver()
    running.standin.reset()


def stored(running: RunningCopbot) -> list[Resource]:
    with running.copbot.sessions() as session:
        return list(session.scalars(select(Resource).order_by(Resource.id)))


def field(value: str) -> dict:
    return {"value": {"type": "plain_text_input", "value": value}}


def share_values(*, kind: str = "article", url: str = "", title: str = "", tags: str = "", note: str = "") -> dict:
    return {
        "kind": {"value": {"type": "static_select", "selected_option": {"value": kind}}},
        "url": field(url),
        "title": field(title),
        "tags": field(tags),
        "note": field(note),
    }


def test_share_by_command_stores_it_and_reaches_the_reviewer(running: RunningCopbot) -> None:
    setup(running)
    reply = running.command(
        "share python https://docs.pytest.org/en/stable/ Pytest docs #testing #guideline", user="U_BOB"
    ).json()
    assert reply["text"].startswith("Shared with *python*")
    [resource] = stored(running)
    assert (resource.title, resource.kind, resource.url, [t.tag for t in resource.tags]) == (
        "Pytest docs",
        "guideline",
        "https://docs.pytest.org/en/stable/",
        ["testing"],
    )
    running.deliver()
    [review] = running.standin.messages_to("U_CAROL")
    assert [e["action_id"] for e in review.params["blocks"][1]["elements"]] == [
        "resource_pin",
        "resource_retag",
        "resource_retire",
    ]


def test_title_defaults_to_the_url_and_reviews_go_to_coordinators_without_a_resources_holder(
    running: RunningCopbot,
) -> None:
    setup(running, reviewer=None)
    running.command("share python https://example.org/x", user="U_BOB")
    assert stored(running)[0].title == "https://example.org/x"
    running.deliver()
    assert len(running.standin.messages_to("U_ADMIN")) == 1


def test_refused_shares_store_nothing(running: RunningCopbot) -> None:
    setup(running)
    outsider = running.command("share python https://example.org/x", user="U_DAN").json()["text"]
    assert "only a member of *python*" in outsider and "/cop join python" in outsider
    for bad in ("javascript:alert(1)", "ftp://example.org/file"):
        assert "Only http(s) links" in running.command(f"share python {bad}", user="U_BOB").json()["text"]
    assert stored(running) == []
    assert running.standin.calls_to("chat.postMessage") == []


def test_a_duplicate_url_after_normalisation_shows_the_existing_entry(running: RunningCopbot) -> None:
    setup(running)
    running.command("share python https://Example.org/guide/?utm_source=x The guide", user="U_BOB")
    duplicate = running.command("share python HTTPS://EXAMPLE.ORG/guide#intro Again", user="U_ADMIN").json()
    assert "already shared in this community" in duplicate["text"] and "“The guide”" in duplicate["text"]
    assert "The guide" in str(duplicate["blocks"])
    for same_page in ("http://EXAMPLE.org/guide/", "http://example.org:80/guide", "https://example.org:443/guide#top"):
        answer = running.command(f"share python {same_page} Again", user="U_ADMIN").json()["text"]
        assert "already shared in this community" in answer, same_page
    running.command("share python https://www.example.org/guide Elsewhere", user="U_ADMIN")  # www. may differ
    assert [r.title for r in stored(running)] == ["The guide", "Elsewhere"]


def test_share_modal_with_tip_needs_no_url_and_field_errors_store_nothing(running: RunningCopbot) -> None:
    setup(running)
    assert running.command("share", user="U_BOB", channel="C_PYTHON").status == 200
    [opened] = running.standin.calls_to("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "resource_share" and len(view["title"]["text"]) <= 24
    empty = running.slack.view_submission(
        user_id="U_BOB", callback_id="resource_share", values=share_values(), private_metadata=view["private_metadata"]
    ).json()
    assert empty["response_action"] == "errors" and set(empty["errors"]) == {"url", "title"}
    bad = running.slack.view_submission(
        user_id="U_BOB",
        callback_id="resource_share",
        values=share_values(url="javascript:x", title="t"),
        private_metadata=view["private_metadata"],
    ).json()
    assert bad["errors"]["url"].startswith("Only http(s) links")
    assert stored(running) == []
    done = running.slack.view_submission(
        user_id="U_BOB",
        callback_id="resource_share",
        values=share_values(kind="tip", title="Run pytest -x", tags="testing, ci", note="Stop early"),
        private_metadata=view["private_metadata"],
    ).json()
    assert done["response_action"] == "update" and "Shared with *python*" in str(done["view"])
    [tip] = stored(running)
    assert (tip.kind, tip.url, tip.note, [t.tag for t in tip.tags]) == ("tip", None, "Stop early", ["testing", "ci"])


def test_share_modal_outside_a_community_channel_asks_which_community(running: RunningCopbot) -> None:
    setup(running)
    running.command("share", user="U_BOB", channel="C_GENERAL")
    view = running.standin.calls_to("views.open")[0].params["view"]
    assert view["blocks"][0]["block_id"] == "community"
    values = share_values(url="https://example.org/a", title="A") | {
        "community": {"value": {"type": "static_select", "selected_option": None}}
    }
    assert running.slack.view_submission(
        user_id="U_BOB", callback_id="resource_share", values=values, private_metadata=view["private_metadata"]
    ).json()["errors"] == {"community": "Choose a community."}
    option = view["blocks"][0]["element"]["options"][0]
    values["community"] = {"value": {"type": "static_select", "selected_option": option}}
    running.slack.view_submission(
        user_id="U_BOB", callback_id="resource_share", values=values, private_metadata=view["private_metadata"]
    )
    assert [r.title for r in stored(running)] == ["A"]


def test_a_duplicate_in_the_modal_is_a_field_error(running: RunningCopbot) -> None:
    setup(running)
    running.command("share python https://example.org/a First", user="U_BOB")
    running.command("share", user="U_BOB", channel="C_PYTHON")
    view = running.standin.calls_to("views.open")[0].params["view"]
    answer = running.slack.view_submission(
        user_id="U_BOB",
        callback_id="resource_share",
        values=share_values(url="https://example.org/a/"),
        private_metadata=view["private_metadata"],
    ).json()
    assert answer["errors"] == {"url": "Already shared in python as “First”."}
    assert len(stored(running)) == 1


def test_message_shortcut_opens_a_prefilled_modal_and_links_back(running: RunningCopbot) -> None:
    setup(running)
    message = {
        "ts": "1772442000.000100",
        "user": "U_ALICE",
        "text": "Great read: <https://example.org/post|Flaky tests> by <@U_ADMIN>",
    }
    running.slack.message_shortcut(
        user_id="U_BOB", callback_id="save_as_resource", channel_id="C_PYTHON", message=message, trigger_id="t-short"
    )
    [opened] = running.standin.calls_to("views.open")
    view = opened.params["view"]
    inputs = {block["block_id"]: block["element"] for block in view["blocks"] if block["type"] == "input"}
    assert inputs["url"]["initial_value"] == "https://example.org/post"
    assert inputs["title"]["initial_value"] == "Flaky tests"
    assert inputs["note"]["initial_value"] == "Great read: Flaky tests by @U_ADMIN"
    values = share_values(
        url=inputs["url"]["initial_value"], title=inputs["title"]["initial_value"], note=inputs["note"]["initial_value"]
    )
    running.slack.view_submission(
        user_id="U_BOB", callback_id="resource_share", values=values, private_metadata=view["private_metadata"]
    )
    [resource] = stored(running)
    assert (resource.source_channel_id, resource.source_ts) == ("C_PYTHON", "1772442000.000100")
    assert resource.source_permalink and resource.source_permalink.endswith("/archives/C_PYTHON/p1772442000000100")
    running.deliver()
    assert "From this message" in str(running.standin.messages_to("U_CAROL")[0].params["blocks"])


def test_shortcut_for_someone_in_no_community_explains(running: RunningCopbot) -> None:
    setup(running)
    running.slack.message_shortcut(
        user_id="U_DAN", callback_id="save_as_resource", channel_id="C_GENERAL", message={"ts": "1.1", "text": "hi"}
    )
    view = running.standin.calls_to("views.open")[0].params["view"]
    assert "Join a community first" in str(view["blocks"]) and "submit" not in view


def test_pin_retag_retire_by_the_reviewer_update_the_review_dm(running: RunningCopbot) -> None:
    setup(running)
    running.command("share python https://example.org/a Alpha", user="U_BOB")
    running.deliver()
    resource_id = str(stored(running)[0].id)
    running.slack.action(
        user_id="U_BOB", action_id="resource_pin", value=resource_id, response_url=running.standin.response_url("bob")
    )
    assert "Only information-resources holders" in running.replies()[0].params["text"]
    assert stored(running)[0].pinned is False
    running.slack.action(user_id="U_CAROL", action_id="resource_pin", value=resource_id)
    running.deliver()
    assert stored(running)[0].pinned is True
    [update] = [c for c in running.standin.calls_to("chat.update") if c.ok]
    assert "Pinned by <@U_CAROL>" in str(update.params["blocks"])
    running.slack.action(user_id="U_CAROL", action_id="resource_retag", value=resource_id, trigger_id="t-retag")
    retag_view = running.standin.calls_to("views.open")[0].params["view"]
    running.slack.view_submission(
        user_id="U_CAROL",
        callback_id="resource_retag_submit",
        values={"tags": field("how-to, Testing")},
        private_metadata=retag_view["private_metadata"],
    )
    assert [t.tag for t in stored(running)[0].tags] == ["how-to", "testing"]
    running.slack.action(user_id="U_CAROL", action_id="resource_retire", value=resource_id)
    assert stored(running)[0].retired_at is not None
    assert (
        "No resources in *python*"
        in running.command("resources python alpha", user="U_BOB").json()["blocks"][0]["text"]["text"]
    )


def test_pinned_resources_come_first_in_the_welcome_dm(running: RunningCopbot) -> None:
    setup(running)
    for index in range(5):
        running.command(f"share python https://example.org/{index} Guide {index}", user="U_BOB")
    with running.copbot.sessions.begin() as session:
        for resource in session.scalars(select(Resource)):
            resource.pinned = resource.title in ("Guide 1", "Guide 3")
    running.deliver()
    running.command("join python", user="U_DAN")
    running.deliver()
    welcome = str(running.standin.messages_to("U_DAN")[0].params["blocks"])
    start_here = welcome.split("*Start here*")[1].split("}")[0]
    assert "Guide 3" in start_here and "Guide 1" in start_here
    assert all(f"Guide {index}" not in start_here for index in (0, 2, 4))
    listing = running.command("resources python", user="U_DAN").json()["blocks"]
    assert "Guide 3" in str(listing[1]) and "Guide 1" in str(listing[2]), "pinned first, newest first"


def test_a_non_member_cannot_share_through_the_modal(running: RunningCopbot) -> None:
    setup(running)
    running.command("share", user="U_BOB", channel="C_PYTHON")
    metadata = running.standin.calls_to("views.open")[0].params["view"]["private_metadata"]
    answer = running.slack.view_submission(
        user_id="U_DAN",
        callback_id="resource_share",
        values=share_values(url="https://example.org/sneaky", title="Sneaky"),
        private_metadata=metadata,
    ).json()
    assert answer["response_action"] == "errors" and "Join python first" in str(answer["errors"])
    assert stored(running) == []


def test_search_pages_with_a_more_button(running: RunningCopbot) -> None:
    setup(running)
    with running.copbot.sessions.begin() as session:
        from storage.models import Community
        from tests.storage.test_search import add_resource

        community = session.scalar(select(Community))
        for index in range(13):
            add_resource(session, community, f"Testing tip {index:02d}", tags=("testing",), at=running.clock.now())
    first = running.command("resources python testing", user="U_DAN").json()
    assert "1–10 of 13" in first["blocks"][0]["text"]["text"] and len(first["blocks"]) == 12
    more = first["blocks"][-1]["elements"][0]
    running.slack.action(
        user_id="U_DAN",
        action_id="resources_more",
        value=more["value"],
        response_url=running.standin.response_url("dan"),
    )
    [page2] = running.replies()
    assert "11–13 of 13" in page2.params["blocks"][0]["text"]["text"]
    assert json.loads(more["value"])["page"] == 1


def test_titles_and_notes_with_mentions_are_never_echoed_unescaped(running: RunningCopbot) -> None:
    setup(running)
    # A title typed as "<!channel> <@U_ADMIN> <!here>": Slack encodes the brackets, we store the text.
    typed = "&lt;!channel&gt; &lt;@U_ADMIN&gt; &lt;!here&gt;"
    reply = running.command(f"share python https://example.org/x {typed}", user="U_BOB").json()
    with running.copbot.sessions() as session:
        assert session.scalar(select(Resource.title)) == "<!channel> <@U_ADMIN> <!here>"
    again = running.command(f"share python https://example.org/x/ {typed}", user="U_BOB").json()
    searched = running.command(f"resources python {typed}", user="U_BOB").json()
    running.command("share", user="U_BOB", channel="C_PYTHON")
    view = running.standin.calls_to("views.open")[0].params["view"]
    done = running.slack.view_submission(
        user_id="U_BOB",
        callback_id="resource_share",
        values=share_values(kind="tip", title="<!here> tip", note="<@U_ADMIN> says <!channel>"),
        private_metadata=view["private_metadata"],
    ).json()
    running.deliver()
    search = running.command("resources python", user="U_BOB").json()
    running.slack.event({"type": "app_home_opened", "user": "U_CAROL", "tab": "home"}, event_id="EvHomeRes")
    running.deliver()
    shown = [str(reply), str(again), str(searched), str(done), str(search)] + [
        str(c.params) for c in running.standin.calls if c.method in ("chat.postMessage", "chat.update", "views.publish")
    ]
    for text in shown:
        for raw in ("<!channel>", "<!here>", "<@U_ADMIN>"):
            assert raw not in text, (raw, text[:300])
    assert count_resources(running) == 2


def count_resources(running: RunningCopbot) -> int:
    with running.copbot.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Resource)) or 0)


def test_retag_keeping_a_tag_and_adding_one(running: RunningCopbot) -> None:
    setup(running)
    running.command("share python https://example.org/a Alpha #testing #ux", user="U_BOB")
    resource_id = str(stored(running)[0].id)
    answer = running.slack.view_submission(
        user_id="U_CAROL",
        callback_id="resource_retag_submit",
        values={"tags": field("ci, testing")},
        private_metadata=resource_id,
    )
    assert answer.status == 200
    assert sorted(t.tag for t in stored(running)[0].tags) == ["ci", "testing"]
    assert (
        running.command("resources python #ci", user="U_BOB").json()["blocks"][0]["text"]["text"].endswith("1–1 of 1")
    )


def test_links_with_ampersands_are_stored_as_links(running: RunningCopbot) -> None:
    setup(running)
    running.command("share python <https://example.org/p?a=1&amp;b=2> Query &amp; more", user="U_BOB")
    [resource] = stored(running)
    assert (resource.url, resource.title) == ("https://example.org/p?a=1&b=2", "Query & more")
    running.command("share", user="U_BOB", channel="C_PYTHON")
    view = running.standin.calls_to("views.open")[0].params["view"]
    answer = running.slack.view_submission(
        user_id="U_BOB",
        callback_id="resource_share",
        values=share_values(url="https://example.org/p?a=1&b=2"),
        private_metadata=view["private_metadata"],
    ).json()
    assert answer["errors"] == {"url": "Already shared in python as “Query & more”."}


def test_a_tag_slack_turned_into_a_channel_link_stays_a_tag(running: RunningCopbot) -> None:
    setup(running)
    running.command("share python https://example.org/x Title <#C_PYTHON|python> #testing", user="U_BOB")
    [resource] = stored(running)
    assert resource.title == "Title" and [t.tag for t in resource.tags] == ["python", "testing"]
    assert "1–1 of 1" in str(running.command("resources python <#C_PYTHON|python>", user="U_BOB").json()["blocks"][0])


def test_a_very_long_search_still_pages(running: RunningCopbot) -> None:
    setup(running)
    with running.copbot.sessions.begin() as session:
        from storage.models import Community
        from tests.storage.test_search import add_resource

        community = session.scalar(select(Community))
        for index in range(12):
            add_resource(session, community, f"Testing {index}", at=running.clock.now())
    first = running.command("resources python " + " ".join(["testing"] * 300), user="U_BOB").json()
    more = first["blocks"][-1]["elements"][0]
    assert len(more["value"]) <= 2000
    running.slack.action(
        user_id="U_BOB", action_id="resources_more", value=more["value"], response_url=running.standin.response_url("b")
    )
    assert "11–12 of 12" in str(running.replies()[0].params["blocks"][0])


def test_concurrent_shares_of_one_url_on_postgres_store_one_and_show_it(running_on_postgres: RunningCopbot) -> None:
    import threading

    running = running_on_postgres
    setup(running)
    replies: list[str] = []

    def share_it() -> None:
        replies.append(running.command("share python https://example.org/race Race", user="U_BOB").json()["text"])

    threads = [threading.Thread(target=share_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(stored(running)) == 1
    assert sum(reply.startswith("Shared with") for reply in replies) == 1
    assert all(reply.startswith("Shared with") or "already shared" in reply for reply in replies), replies
