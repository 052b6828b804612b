"""Communities end to end over HTTP: create, list, info, members, edit, archive, roles; refusals store nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.sandbox.standin.workspace import User
from storage.models import Community, Membership, RoleAssignment
from tests.conftest import RunningCopbot


def create_python(running: RunningCopbot, purpose: str = "Python at work") -> None:
    reply = running.command(f"create python {purpose}", user="U_ADMIN", channel="C_PYTHON").json()
    assert reply["text"].startswith("Created *python*"), reply
    running.deliver()


def count(running: RunningCopbot, model: type) -> int:
    with running.copbot.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_admin_creates_a_community_for_the_channel_and_the_bot_joins_it(running: RunningCopbot) -> None:
    create_python(running)
    with running.copbot.sessions() as session:
        community = session.scalar(select(Community))
        assert community is not None and (community.name, community.channel_id, community.purpose) == (
            "python",
            "C_PYTHON",
            "Python at work",
        )
        roles = session.execute(select(RoleAssignment.user_id, RoleAssignment.role)).all()
    assert roles == [("U_ADMIN", "coordinator")]
    assert [call.params["channel"] for call in running.standin.calls_to("conversations.join")] == ["C_PYTHON"]


def test_refused_creates_store_nothing(running: RunningCopbot) -> None:
    refusals = {
        ("create ux Designers", "U_BOB"): "only a workspace admin",
        ("create Bad_Name Designers", "U_ADMIN"): "2–40 lowercase letters",
        ("create x Designers", "U_ADMIN"): "2–40 lowercase letters",
        ("create ux", "U_ADMIN"): "Usage: `/cop create NAME PURPOSE…`",
    }
    for (text, user), expected in refusals.items():
        assert expected in running.command(text, user=user, channel="C_DATA").json()["text"], text
    assert count(running, Community) == count(running, Membership) == count(running, RoleAssignment) == 0
    assert running.standin.calls_to("conversations.join") == []


def test_a_name_or_channel_cannot_be_taken_twice(running: RunningCopbot) -> None:
    create_python(running)
    assert (
        "already a community called `python`"
        in running.command("create python again", user="U_ADMIN", channel="C_DATA").json()["text"]
    )
    assert (
        "already belongs to `python`"
        in running.command("create py2 again", user="U_ADMIN", channel="C_PYTHON").json()["text"]
    )
    assert count(running, Community) == 1


def test_list_info_and_members(running: RunningCopbot) -> None:
    create_python(running)
    running.command("join python", user="U_BOB")
    listing = running.command("list", user="U_CAROL").json()
    section = listing["blocks"][1]
    assert "*python*" in section["text"]["text"] and "2 members" in section["text"]["text"]
    assert section["accessory"]["action_id"] == "community_join" and section["accessory"]["value"] == "python"
    info = running.command("info python", user="U_CAROL").json()
    assert "Coordinator: <@U_ADMIN>" in str(info["blocks"]) and "2 members" in str(info["blocks"])
    assert "only a member of *python*" in running.command("members python", user="U_CAROL").json()["text"]
    members = running.command("members python", user="U_BOB").json()
    assert "<@U_ADMIN> — coordinator" in str(members["blocks"]) and "<@U_BOB>" in str(members["blocks"])


def test_roles_need_a_coordinator_and_name_the_role_needed(running: RunningCopbot) -> None:
    create_python(running)
    running.command("join python", user="U_BOB")
    refused = running.command("role python <@U_CAROL|carol> support", user="U_BOB").json()
    assert "only a coordinator of *python*" in refused["text"]
    assert count(running, RoleAssignment) == 1
    assert (
        "There is no role `helper`"
        in running.command("role python <@U_CAROL|carol> helper", user="U_ADMIN").json()["text"]
    )
    assert "couldn't find a person" in running.command("role python carol support", user="U_ADMIN").json()["text"]
    granted = running.command("role python <@U_CAROL|carol> support", user="U_ADMIN").json()
    assert granted["text"] == "<@U_CAROL> is now member support of *python*."
    running.deliver()
    assert "made you member support of python" in running.standin.messages_to("U_CAROL")[0].params["text"]
    assert (
        "already member support"
        in running.command("role python <@U_CAROL|carol> support", user="U_ADMIN").json()["text"]
    )


def test_the_last_coordinator_stays(running: RunningCopbot) -> None:
    create_python(running)
    refused = running.command("unrole python <@U_ADMIN|ada> coordinator", user="U_ADMIN").json()
    assert "at least one coordinator" in refused["text"]
    running.command("role python <@U_ALICE|alice> coordinator", user="U_ADMIN")
    assert (
        "no longer coordinator"
        in running.command("unrole python <@U_ADMIN|ada> coordinator", user="U_ALICE").json()["text"]
    )
    assert (
        "at least one coordinator"
        in running.command("unrole python <@U_ALICE|alice> coordinator", user="U_ALICE").json()["text"]
    )


def test_edit_opens_a_modal_and_saves_from_slack_without_a_redeploy(running: RunningCopbot) -> None:
    create_python(running)
    assert running.command("edit python", user="U_ADMIN").status == 200
    [opened] = running.standin.calls_to("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "community_edit" and len(view["title"]["text"]) <= 24
    values = {
        "purpose": {"value": {"type": "plain_text_input", "value": "Python, kindly"}},
        "description": {"value": {"type": "plain_text_input", "value": "We meet monthly."}},
        "links": {"value": {"type": "plain_text_input", "value": "https://wiki.example.org/python"}},
        "welcome_text": {"value": {"type": "plain_text_input", "value": "Start in the pinned thread."}},
    }
    response = running.slack.view_submission(
        user_id="U_ADMIN", callback_id="community_edit", values=values, private_metadata=view["private_metadata"]
    )
    assert response.status == 200 and not response.body
    with running.copbot.sessions() as session:
        community = session.scalar(select(Community))
        assert community is not None
        assert (community.purpose, community.welcome_text) == ("Python, kindly", "Start in the pinned thread.")


def test_edit_refuses_members_and_empty_purpose_with_field_errors(running: RunningCopbot) -> None:
    create_python(running)
    running.command("join python", user="U_BOB")
    assert "coordinator or website administrator" in running.command("edit python", user="U_BOB").json()["text"]
    values = {
        field: {"value": {"type": "plain_text_input", "value": ""}}
        for field in ("purpose", "description", "links", "welcome_text")
    }
    with running.copbot.sessions() as session:
        community_id = str(session.scalar(select(Community.id)))
    answer = running.slack.view_submission(
        user_id="U_ADMIN", callback_id="community_edit", values=values, private_metadata=community_id
    ).json()
    assert answer == {"response_action": "errors", "errors": {"purpose": "A community needs a purpose."}}
    values["purpose"] = {"value": {"type": "plain_text_input", "value": "Hijacked"}}
    sneaky = running.slack.view_submission(
        user_id="U_BOB", callback_id="community_edit", values=values, private_metadata=community_id
    ).json()
    assert sneaky["response_action"] == "errors"
    with running.copbot.sessions() as session:
        assert session.scalar(select(Community.purpose)) == "Python at work"


def test_archive_hides_the_community_and_keeps_its_data(running: RunningCopbot) -> None:
    create_python(running)
    running.command("join python", user="U_BOB")
    archived = running.command("archive python", user="U_ADMIN").json()["text"]
    assert "Archived *python*" in archived and "`/cop unarchive python` brings it back" in archived
    listing = running.command("list", user="U_BOB").json()
    assert listing["blocks"][0]["text"]["text"] == (
        "There are no live communities; 1 is archived: `python`. "
        "A coordinator or a workspace admin brings one back with `/cop unarchive NAME`."
    )
    revive = "*python* is archived. A coordinator or a workspace admin can bring it back, with its members and schedules: `/cop unarchive python`."
    for text in ("join python", "info python", "members python"):
        assert running.command(text, user="U_CAROL").json()["text"] == revive, text
    assert running.command("info", user="U_CAROL", channel="C_PYTHON").json()["text"] == revive
    taken = running.command("create python Again", user="U_ADMIN", channel="C_GENERAL").json()["text"]
    assert "`python`, archived: bring it back with `/cop unarchive python`" in taken
    assert count(running, Membership) == 2


def test_unarchive_brings_members_roles_and_schedules_back(running: RunningCopbot) -> None:
    create_python(running)
    running.command("join python", user="U_BOB")
    running.command("role python <@U_CAROL> support", user="U_ADMIN")
    running.command("schedule python checkin weekly tue 10:00", user="U_ADMIN")
    running.command("archive python", user="U_ADMIN")
    assert "only a coordinator of *python*" in running.command("unarchive python", user="U_BOB").json()["text"]
    assert "is not archived" not in running.command("unarchive python", user="U_BOB").json()["text"]
    back = running.command("unarchive python", user="U_ADMIN").json()["text"]
    assert back.startswith("*python* is back in <#C_PYTHON>, with its 3 members, its roles and its schedules")
    assert "is not archived: it is live" in running.command("unarchive python", user="U_ADMIN").json()["text"]
    info = str(running.command("info python", user="U_BOB").json()["blocks"])
    assert "<@U_CAROL>" in info
    assert "*Check-ins* — every Tuesday at 10:00 (UTC)" in str(running.command("schedule python", user="U_BOB").json())


def test_unarchive_is_refused_when_the_channel_has_a_community_again(running: RunningCopbot) -> None:
    create_python(running)
    running.command("archive python", user="U_ADMIN")
    running.command("create snakes Snakes at work", user="U_ADMIN", channel="C_PYTHON")
    refused = running.command("unarchive python", user="U_ADMIN").json()["text"]
    assert refused.startswith("<#C_PYTHON> belongs to `snakes` now")
    assert "is archived" in running.command("info python", user="U_ADMIN").json()["text"]


def test_webadmin_may_edit_but_not_archive(running: RunningCopbot) -> None:
    create_python(running)
    running.command("role python <@U_DAN|dan> webadmin", user="U_ADMIN")
    assert running.command("edit python", user="U_DAN").status == 200
    assert len(running.standin.calls_to("views.open")) == 1
    assert "only a coordinator of *python*" in running.command("archive python", user="U_DAN").json()["text"]


def test_purpose_with_mentions_is_shown_escaped_everywhere(running: RunningCopbot) -> None:
    # As Slack sends it: a typed "<!channel>" arrives entity-encoded, an @-mention as a token.
    create_python(running, purpose="&lt;!channel&gt; ping <@U_BOB|bob> <!here> &amp; co")
    running.command("join python", user="U_CAROL")
    running.deliver()
    texts = [str(running.command(text, user="U_CAROL").json()) for text in ("list", "info python")]
    texts += [
        str(call.params) for call in running.standin.calls if call.method in ("chat.postMessage", "views.publish")
    ]
    for text in texts:
        assert "<!channel>" not in text and "<@U_BOB" not in text and "<!here>" not in text
    assert any("&lt;!channel&gt; ping @bob @here &amp; co" in text for text in texts)


def test_description_and_links_with_mentions_are_escaped_in_info(running: RunningCopbot) -> None:
    create_python(running)
    with running.copbot.sessions.begin() as session:
        community = session.scalar(select(Community))
        assert community is not None
        community.description = "About <!channel> and <@U_BOB>"
        community.links = "<https://evil.example|docs> <!here>"
    shown = str(running.command("info python", user="U_CAROL").json())
    for raw in ("<!channel>", "<@U_BOB>", "<!here>", "<https://evil.example|docs>"):
        assert raw not in shown
    assert "About &lt;!channel&gt; and &lt;@U_BOB&gt;" in shown


def test_an_unknown_community_stores_nothing(running: RunningCopbot) -> None:
    create_python(running)
    for text in ("join pyton", "leave pyton", "members pyton", "role pyton <@U_BOB|bob> support"):
        assert "I don't know a community called `pyton`" in running.command(text, user="U_ADMIN").json()["text"], text
    assert count(running, Membership) == 1 and count(running, RoleAssignment) == 1


def test_welcome_text_with_mentions_is_escaped_in_the_welcome_dm(running: RunningCopbot) -> None:
    create_python(running)
    with running.copbot.sessions.begin() as session:
        community = session.scalar(select(Community))
        assert community is not None
        community.welcome_text = "Hi <!here>, ask <@U_ADMIN> & <https://evil.example|click>"
    running.command("join python", user="U_BOB")
    running.deliver()
    [welcome] = running.standin.messages_to("U_BOB")
    shown = str(welcome.params)
    assert "<!here>" not in shown and "<https://evil.example|click>" not in shown
    assert "Hi &lt;!here&gt;, ask &lt;@U_ADMIN&gt; &amp; &lt;https://evil.example|click&gt;" in shown


def test_an_unknown_role_is_echoed_escaped(running: RunningCopbot) -> None:
    create_python(running)
    text = running.command("role python <@U_BOB|bob> &lt;!channel&gt;", user="U_ADMIN").json()["text"]
    assert "<!channel>" not in text and "There is no role `&lt;!channel&gt;`" in text


def test_concurrent_role_grants_on_postgres_give_one_role(running_on_postgres: RunningCopbot) -> None:
    import threading

    running = running_on_postgres
    create_python(running)
    replies: list[str] = []
    threads = [
        threading.Thread(
            target=lambda: replies.append(
                running.command("role python <@U_CAROL|carol> support", user="U_ADMIN").json()["text"]
            )
        )
        for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum("is now member support" in reply for reply in replies) == 1
    assert all("is now" in reply or "already member support" in reply for reply in replies), replies


def test_the_people_already_in_the_channel_become_founding_members_without_a_welcome(running: RunningCopbot) -> None:
    big = {f"U{index:04d}" for index in range(1500)}  # more than one conversations.members page
    for user_id in big:
        running.standin.workspace.add_user(User(user_id, user_id.lower()))
    running.standin.workspace.channel("C_DATA").members.update(big | {"UBOT"})  # type: ignore[union-attr]
    reply = running.command("create data Data people", user="U_ALICE", channel="C_DATA").json()
    assert "only a workspace admin" in reply["text"]
    reply = running.command("create data Data people", user="U_ADMIN", channel="C_DATA").json()
    assert "The 1503 people already in <#C_DATA> are its founding members (no welcome DM for them)." in reply["text"]
    assert len(running.standin.calls_to("conversations.members")) == 2
    running.deliver()
    with running.copbot.sessions() as session:
        sources = dict(session.execute(select(Membership.source, func.count()).group_by(Membership.source)).all())
    assert sources == {"create": 1, "founding": 1503}, "Alice, Carol, Dan and the 1500; not copbot itself"
    assert running.standin.calls_to("chat.postMessage") == [], "founding members are not newcomers: no welcome DMs"
    running.standin.workspace.add_user(User("U_ERIN", "erin"))
    running.slack.event({"type": "member_joined_channel", "user": "U_ERIN", "channel": "C_DATA"}, event_id="EvErin")
    running.deliver()
    assert "Welcome to *data*" in str(running.standin.messages_to("U_ERIN")[0].params["blocks"])


def test_when_slack_cannot_list_the_channel_the_community_is_created_and_the_answer_says_so(
    running: RunningCopbot,
) -> None:
    running.standin.fail_next("conversations.members", error="fatal_error")
    reply = running.command("create data Data people", user="U_ADMIN", channel="C_DATA").json()
    assert reply["text"].startswith("Created *data*")
    assert (
        "I couldn't see who is already in <#C_DATA> (fatal_error); they can join with `/cop join data`."
        in reply["text"]
    )
    assert count(running, Membership) == 1


def test_bots_and_deactivated_people_cannot_be_given_a_role(running: RunningCopbot) -> None:
    create_python(running)
    for who, why in (
        ("<@U_ROBOT|robot>", "is a bot"),
        ("<@U_GONE|gone>", "is deactivated in Slack"),
        ("<@USLACKBOT>", "is a bot"),
    ):
        answer = running.command(f"role python {who} support", user="U_ADMIN").json()["text"]
        assert why in answer, answer
    assert count(running, RoleAssignment) == 1  # the creator's coordinator role
    running.deliver()
    assert running.standin.messages_to("U_ROBOT") == running.standin.messages_to("U_GONE") == []


def test_a_role_holder_deactivated_later_gets_no_more_alerts_and_the_coordinators_hear_of_it(
    running: RunningCopbot,
) -> None:
    create_python(running)
    running.command("role python <@U_CAROL> support", user="U_ADMIN")
    running.command("role python <@U_DAN> coordinator", user="U_ADMIN")
    running.deliver()
    running.standin.reset()
    deactivated = {"id": "U_CAROL", "name": "carol", "deleted": True, "is_bot": False}
    assert running.slack.event({"type": "user_change", "user": deactivated}, event_id="EvGoneCarol").status == 200
    running.command("join python", user="U_BOB")
    running.deliver()
    texts = {user: [call.params["text"] for call in running.standin.messages_to(user)] for user in ("U_ADMIN", "U_DAN")}
    expected = (
        "<@U_CAROL> was deactivated in Slack, so they are no longer member support of *python*. "
        "`/cop role python @person ROLE` names someone else."
    )
    assert expected in texts["U_ADMIN"] and expected in texts["U_DAN"]
    assert running.standin.messages_to("U_CAROL") == [], "no welcome alert for Bob went to Carol"
    assert "welcome_claim" in str([c.params for c in running.standin.messages_to("U_DAN")]), "coordinators welcome now"
    assert "<@U_CAROL>" not in str(running.command("info python", user="U_BOB").json())


def test_the_last_coordinator_deactivated_is_announced_in_the_channel(running: RunningCopbot) -> None:
    running.command("create data Data people", user="U_ADMIN", channel="C_DATA")
    running.command("role data <@U_ALICE> coordinator", user="U_ADMIN")
    running.command("unrole data <@U_ADMIN> coordinator", user="U_ADMIN")
    running.deliver()
    running.standin.reset()
    running.slack.event({"type": "user_change", "user": {"id": "U_ALICE", "deleted": True}}, event_id="EvGoneAlice")
    running.deliver()
    [posted] = running.standin.messages_to("C_DATA")
    assert posted.params["text"].endswith("*data* has no coordinator now: a workspace admin can name one.")
