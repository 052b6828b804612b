"""Who people are (users.info, cached): an admin stays an admin through a Slack outage, and is never
refused for long after Slack recovers."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.sandbox.standin import SlackStandin, User
from bot.slack.people import PeopleDirectory


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def directory(standin: SlackStandin, ticks: Ticks) -> PeopleDirectory:
    client = WebClient(token=standin.token, base_url=standin.url, timeout=2, retry_handlers=[])
    return PeopleDirectory(client=client, configured_admins=frozenset(), monotonic=ticks)


def test_a_failed_lookup_is_asked_again_within_seconds_once_slack_recovers(standin: SlackStandin) -> None:
    standin.workspace.add_user(User("U_BOSS", "boss", is_admin=True))
    ticks = Ticks()
    people = directory(standin, ticks)
    standin.fail_next("users.info", status=503)
    assert not people.is_admin("U_BOSS")  # Slack cannot say, and never said
    ticks.now = 1
    assert not people.is_admin("U_BOSS")
    assert len(standin.calls_to("users.info")) == 1, "not hammering a failing Slack"
    ticks.now = 6
    assert people.is_admin("U_BOSS")


def test_what_slack_said_last_still_counts_while_it_fails(standin: SlackStandin) -> None:
    standin.workspace.add_user(User("U_BOSS", "boss", is_admin=True))
    ticks = Ticks()
    people = directory(standin, ticks)
    assert people.is_admin("U_BOSS")
    ticks.now = 3600  # the cached answer is old
    standin.fail_next("users.info", status=500)
    assert people.is_admin("U_BOSS")
