"""Another process holds the database's write lock for longer than Slack waits: what people see.

Reads answer as always; a write answers in time that nothing was changed and to try again (and
changes nothing); an event is refused with 503, so Slack delivers it again and it is counted then.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from storage.models import ActivityCount, Membership
from tests.conftest import RunningCopbot
from tests.factories import add_community


@contextmanager
def write_lock_held_elsewhere(running: RunningCopbot) -> Iterator[None]:
    holder = sqlite3.connect(str(running.copbot.engine.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def setup(running: RunningCopbot) -> None:
    with running.copbot.sessions.begin() as session:
        add_community(session, now=running.clock.now())


def test_reads_answer_while_another_process_holds_the_write_lock(running: RunningCopbot) -> None:
    setup(running)
    with write_lock_held_elsewhere(running):
        help_text = running.command("help", user="U_BOB").json()["text"]
        listed = running.command("list", user="U_BOB").json()
        info = running.command("info python", user="U_BOB").json()
    assert "join" in help_text
    assert listed["text"] == "1 communities of practice"
    assert info["text"].startswith("python:")


def test_a_write_answers_busy_in_time_and_changes_nothing(running: RunningCopbot) -> None:
    setup(running)
    with write_lock_held_elsewhere(running):
        reply = running.command("join python", user="U_BOB").json()
    assert reply["text"].startswith("I'm busy with a lot at once right now and nothing was changed.")
    with running.copbot.sessions() as session:
        assert session.scalars(select(Membership.user_id).where(Membership.user_id == "U_BOB")).all() == []
    running.deliver()
    assert running.standin.messages_to("U_BOB") == []
    assert "Welcome to *python*" in running.command("join python", user="U_BOB").json()["text"], "tried again"


def test_an_event_refused_while_busy_is_counted_when_slack_delivers_it_again(running: RunningCopbot) -> None:
    setup(running)
    event = {"type": "message", "channel": "C_PYTHON", "user": "U_BOB", "text": "hi", "ts": "1772442000.000100"}
    with write_lock_held_elsewhere(running):
        assert running.slack.event(event, event_id="EvBusy1").status == 503
    assert running.slack.event(event, event_id="EvBusy1").status == 200  # Slack's retry
    assert running.slack.event(event, event_id="EvBusy1").status == 200  # and one more: counted once
    with running.copbot.sessions() as session:
        assert session.scalars(select(ActivityCount.messages)).all() == [1]


def test_a_click_while_busy_is_told_so_privately_and_changes_nothing(running: RunningCopbot) -> None:
    setup(running)
    with write_lock_held_elsewhere(running):
        answer = running.slack.action(
            user_id="U_BOB",
            action_id="community_join",
            value="python",
            response_url=running.standin.response_url("bob-click"),
        )
    assert answer.status == 200  # Slack never sends a click again: the person hears from us instead
    [told] = running.standin.calls_to("response_url")
    assert told.params["text"].startswith("I'm busy with a lot at once right now and nothing was changed.")
    with running.copbot.sessions() as session:
        assert session.scalars(select(Membership.user_id).where(Membership.user_id == "U_BOB")).all() == []
