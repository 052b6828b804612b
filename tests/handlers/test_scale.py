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
