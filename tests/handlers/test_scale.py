"""Every message and view stays within Block Kit limits with 60 members and 20 communities."""

from __future__ import annotations

from bot.sandbox.standin.workspace import User
from tests.conftest import RunningCopbot
from tests.factories import add_community, add_member

LONG = "a-community-name-that-is-forty-chars-xx"


def test_block_kit_limits_hold_at_60_members_and_20_communities(running: RunningCopbot) -> None:
    people = [f"U{index:03d}" for index in range(60)]
    for user_id in people:
        running.standin.workspace.add_user(User(id=user_id, name=f"person{user_id}", real_name=f"Person {user_id}"))
    now = running.clock.now()
    with running.copbot.sessions.begin() as session:
        big = add_community(session, name=LONG[:40], channel_id="C_PYTHON", now=now, purpose="p" * 300)
        for index in range(1, 20):
            community = add_community(
                session,
                name=f"community-{index:02d}",
                channel_id=f"C{index:03d}",
                now=now,
                purpose="Long purpose " * 20,
            )
            add_member(session, community=community, user_id="U000", now=now)
        for user_id in people[1:]:
            add_member(session, community=big, user_id=user_id, now=now)
    name = LONG[:40]
    for text in ("list", f"info {name}", f"members {name}", "help"):
        response = running.command(text, user="U_ADMIN")
        assert response.status == 200 and len(response.json().get("blocks", [])) <= 50, text
    assert "60" in str(running.command(f"members {name}", user="U_ADMIN").json()["blocks"][0])
    running.command(f"edit {name}", user="U_ADMIN")
    for user_id in ("U_BOB", "U_CAROL"):
        running.command(f"join {name}", user=user_id)
    running.slack.event({"type": "team_join", "user": {"id": "U_NEWBIE"}}, event_id="EvTeamScale")
    running.standin.workspace.add_user(User(id="U_NEWBIE", name="newbie"))
    running.slack.event({"type": "app_home_opened", "user": "U000", "tab": "home"}, event_id="EvHomeScale")
    running.slack.event({"type": "app_home_opened", "user": "U_ADMIN", "tab": "home"}, event_id="EvHomeAdmin")
    running.deliver()
    assert [call.params["view"]["title"]["text"] for call in running.standin.calls_to("views.open")] == [
        f"Edit {name}"[:24]
    ]
    assert all(
        call.ok for call in running.standin.calls if call.method in ("chat.postMessage", "views.publish", "views.open")
    ), [(call.method, call.response) for call in running.standin.calls if not call.ok]
    assert running.standin.violations == []


def add_people(running: RunningCopbot, community_name: str, count: int, *, keyword: str | None = None) -> None:
    """`count` members of the community (and, with `keyword`, that much expertise), inserted in bulk."""
    from sqlalchemy import insert, select

    from storage.models import Community, ExpertiseKeyword, Membership, Person

    now = running.clock.now()
    with running.copbot.sessions.begin() as session:
        community_id = session.scalar(select(Community.id).where(Community.name == community_name))
        users = [f"W{index:06d}" for index in range(count)]
        session.execute(
            insert(Membership),
            [{"community_id": community_id, "user_id": u, "joined_at": now, "source": "founding"} for u in users],
        )
        if keyword:
            session.execute(insert(Person), [{"user_id": u, "updated_at": now} for u in users])
            session.execute(insert(ExpertiseKeyword), [{"user_id": u, "keyword": keyword} for u in users])


def test_members_and_who_work_past_postgresqls_65535_parameters(running_on_postgres: RunningCopbot) -> None:
    running = running_on_postgres
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    add_people(running, "python", 66_000, keyword="python packaging")
    members = running.command("members python", user="U_ADMIN")
    assert members.status == 200 and "66,001 members" in str(members.json()["blocks"][0])
    who = running.command("who packaging", user="U_ADMIN").json()
    assert who["blocks"][0]["text"]["text"].startswith("66,000 people know about “packaging”")
    assert "…and 65,940 more" in str(who["blocks"][-1])


def test_members_are_paged_core_group_first_with_a_more_button(running: RunningCopbot) -> None:
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    add_people(running, "python", 249)
    running.command("role python <@W000200> support", user="U_ADMIN")
    first = running.command("members python", user="U_ADMIN").json()["blocks"]
    assert "python: 250 members" in str(first[0])
    listed = str(first[1:-2])
    assert listed.index("<@U_ADMIN>") < listed.index("<@W000200>") < listed.index("<@W000000>")
    assert "1–100 of 250" in str(first[-2])
    more = first[-1]["elements"][0]
    for expected in ("101–200 of 250", "201–250 of 250"):
        running.slack.action(
            user_id="U_ADMIN",
            action_id=more["action_id"],
            value=more["value"],
            response_url=running.standin.response_url("a"),
        )
        page = running.replies()[-1].params["blocks"]
        assert expected in str(page)
        more = page[-1]["elements"][0] if page[-1]["type"] == "actions" else None
    assert more is None
    running.slack.action(user_id="U_DAN", action_id="members_more", value=first[-1]["elements"][0]["value"])
    assert (
        "only a member of *python*" in running.standin.messages_to("U_DAN")[-1].params["text"]
        if running.deliver()
        else True
    )


def test_list_pages_through_1201_communities(running: RunningCopbot) -> None:
    from sqlalchemy import insert

    from storage.models import Community

    now = running.clock.now()
    with running.copbot.sessions.begin() as session:
        session.execute(
            insert(Community),
            [
                {
                    "name": f"c-{index:04d}",
                    "purpose": "p",
                    "channel_id": f"C{index:05d}",
                    "created_by": "U_ADMIN",
                    "created_at": now,
                }
                for index in range(1201)
            ],
        )
    answer = running.command("list", user="U_BOB").json()
    assert answer["text"] == "1,201 communities of practice"
    assert "1–40 of 1,201" in str(answer["blocks"][-2]) and len(answer["blocks"]) <= 50
    more = answer["blocks"][-1]["elements"][0]
    running.slack.action(
        user_id="U_BOB",
        action_id=more["action_id"],
        value=more["value"],
        response_url=running.standin.response_url("b"),
    )
    assert "41–80 of 1,201" in str(running.replies()[-1].params["blocks"])


def test_the_share_form_offers_every_one_of_130_communities(running: RunningCopbot) -> None:
    from sqlalchemy import insert, select

    from storage.models import Community, Membership

    now = running.clock.now()
    with running.copbot.sessions.begin() as session:
        session.execute(
            insert(Community),
            [
                {
                    "name": f"c-{index:03d}",
                    "purpose": "p",
                    "channel_id": f"C{index:05d}",
                    "created_by": "U_ADMIN",
                    "created_at": now,
                }
                for index in range(130)
            ],
        )
        ids = session.scalars(select(Community.id)).all()
        session.execute(
            insert(Membership), [{"community_id": i, "user_id": "U_BOB", "joined_at": now, "source": "x"} for i in ids]
        )
    running.command("share", user="U_BOB", channel="C_GENERAL")
    view = running.standin.calls_to("views.open")[-1].params["view"]
    select_ = view["blocks"][0]["element"]
    offered = [option["text"]["text"] for group in select_["option_groups"] for option in group["options"]]
    assert len(offered) == 130 and offered[-1] == "c-129"
    assert [g["label"]["text"] for g in select_["option_groups"]] == ["c-000 – c-099", "c-100 – c-129"]


def test_app_home_says_when_a_list_goes_on(running: RunningCopbot) -> None:
    from sqlalchemy import insert, select

    from storage.models import Community, Membership

    now = running.clock.now()
    with running.copbot.sessions.begin() as session:
        session.execute(
            insert(Community),
            [
                {
                    "name": f"c-{index:03d}",
                    "purpose": "p",
                    "channel_id": f"C{index:05d}",
                    "created_by": "U_ADMIN",
                    "created_at": now,
                }
                for index in range(90)
            ],
        )
        ids = session.scalars(select(Community.id).order_by(Community.id)).all()[:75]
        session.execute(
            insert(Membership), [{"community_id": i, "user_id": "U_BOB", "joined_at": now, "source": "x"} for i in ids]
        )
    running.slack.event({"type": "app_home_opened", "user": "U_BOB", "tab": "home"}, event_id="EvHomeMany")
    running.deliver()
    [home] = running.standin.calls_to("views.publish")
    text = str(home.params["view"]["blocks"])
    assert "…and 15 more. `/cop list` shows them all." in text  # of the 75 communities Bob is in, 60 shown
    assert "…and 5 more. `/cop list` shows them all." in text  # of the 15 others, 10 shown
    assert home.ok
