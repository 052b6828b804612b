"""Invariants that concurrent requests must not break, on PostgreSQL (truly concurrent) and SQLite.

Found by an adversarial pass: two coordinators taking each other's role left communities without a
coordinator; two `create`s in one channel made two live communities; concurrent retags answered 500.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func, select

from bot.sandbox.standin import Channel
from storage.models import Community, Resource, Role, RoleAssignment
from tests.conftest import RunningCopbot
from tests.handlers.test_resources import setup


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_coordinators_unroling_each_other_at_once_leave_one(either: RunningCopbot) -> None:
    running = either
    for round_ in range(5):
        channel, name = f"C_R{round_}", f"race-{round_}"
        running.standin.workspace.add_channel(Channel(channel, name))
        running.command(f"create {name} Racing", user="U_ADMIN", channel=channel)
        for user in ("U_BOB", "U_CAROL"):
            running.command(f"role {name} <@{user}> coordinator", user="U_ADMIN")
        running.command(f"unrole {name} <@U_ADMIN> coordinator", user="U_ADMIN")
        answers = at_once(
            lambda name=name: running.command(f"unrole {name} <@U_CAROL> coordinator", user="U_BOB").json()["text"],
            lambda name=name: running.command(f"unrole {name} <@U_BOB> coordinator", user="U_CAROL").json()["text"],
        )
        assert sum("is no longer coordinator" in str(answer) for answer in answers) == 1, answers
        with running.copbot.sessions() as session:
            coordinators = session.scalar(
                select(func.count())
                .select_from(RoleAssignment)
                .join(Community, Community.id == RoleAssignment.community_id)
                .where(Community.name == name, RoleAssignment.role == Role.COORDINATOR)
            )
        assert coordinators == 1


def test_two_creates_in_one_channel_at_once_make_one_community(either: RunningCopbot) -> None:
    running = either
    for round_ in range(5):
        running.standin.workspace.add_channel(Channel(f"C_X{round_}", f"x-{round_}"))
        channel = f"C_X{round_}"
        answers = [
            str(answer["text"])  # type: ignore[index]
            for answer in at_once(
                lambda n=round_, c=channel: running.command(f"create first-{n} One", user="U_ADMIN", channel=c).json(),
                lambda n=round_, c=channel: running.command(f"create second-{n} Two", user="U_ADMIN", channel=c).json(),
            )
        ]
        assert sum("already belongs to" in answer for answer in answers) == 1, answers
    with running.copbot.sessions() as session:
        per_channel = session.execute(select(Community.channel_id, func.count()).group_by(Community.channel_id)).all()
    assert all(count == 1 for _, count in per_channel) and len(per_channel) == 5


def test_concurrent_retags_of_one_resource_all_answer_and_leave_one_set_of_tags(either: RunningCopbot) -> None:
    running = either
    setup(running)
    running.command("share python https://example.org/a A", user="U_BOB")
    with running.copbot.sessions() as session:
        resource_id = session.scalar(select(Resource.id))

    def retag(tags: str) -> object:
        return running.slack.view_submission(
            user_id="U_CAROL",
            callback_id="resource_retag_submit",
            values={"tags": {"value": {"type": "plain_text_input", "value": tags}}},
            private_metadata=str(resource_id),
        ).status

    statuses = at_once(*[lambda n=n: retag(f"one, two, t{n}") for n in range(8)])
    assert statuses == [200] * 8
    with running.copbot.sessions() as session:
        resource = session.get(Resource, resource_id)
        assert resource is not None
        tags = {tag.tag for tag in resource.tags}
    assert {"one", "two"} < tags and len(tags) == 3  # one retag's set, whole


def test_two_coordinators_setting_one_schedule_at_once_both_get_an_answer(either: RunningCopbot) -> None:
    running = either
    for round_ in range(8):
        channel, name = f"C_S{round_}", f"sched-{round_}"
        running.standin.workspace.add_channel(Channel(channel, name))
        running.command(f"create {name} Scheduling", user="U_ADMIN", channel=channel)
        running.command(f"role {name} <@U_BOB> coordinator", user="U_ADMIN")
        answers = at_once(  # the first stored schedule of this job: both would insert its row
            lambda n=name: running.command(f"schedule {n} checkin weekly tue 10:00", user="U_ADMIN"),
            lambda n=name: running.command(f"schedule {n} checkin weekly thu 11:00", user="U_BOB"),
        )
        assert [answer.status for answer in answers] == [200, 200]  # type: ignore[attr-defined]
        texts = [answer.json()["text"] for answer in answers]  # type: ignore[attr-defined]
        assert all("Sorry" not in text for text in texts), texts
