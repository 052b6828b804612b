"""The outbox and its worker: every message arrives once, whatever Slack does."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import ManualClock
from bot.delivery.outbox import post_message, update_message
from bot.delivery.policy import working_hours_start
from bot.delivery.worker import CHANNEL_PACE, GIVE_UP_AFTER, LANDING_WINDOW, LEASE, DeliveryWorker
from bot.sandbox.standin import RecordedCall, SlackStandin
from storage.models import OutboxMessage, OutboxStatus


@pytest.fixture
def client(standin: SlackStandin) -> WebClient:
    return WebClient(token=standin.token, base_url=standin.url, timeout=5, retry_handlers=[])


@pytest.fixture
def worker(sessions: sessionmaker[Session], client: WebClient, clock: ManualClock) -> Iterator[DeliveryWorker]:
    worker = DeliveryWorker(session_factory=sessions, client=client, clock=clock, jitter=lambda: 0.5)
    yield worker
    worker.stop()


def queue(
    sessions: sessionmaker[Session],
    clock: ManualClock,
    *,
    to: str = "U_BOB",
    text: str = "hello",
    key: str | None = None,
) -> int:
    with sessions.begin() as session:
        message = post_message(session, channel=to, text=text, kind="test", now=clock.now(), dedupe_key=key)
        session.flush()
        return message.id


def delivered(standin: SlackStandin, to: str) -> list[str]:
    return [call.params["text"] for call in standin.messages_to(to)]


def stored(sessions: sessionmaker[Session], message_id: int) -> OutboxMessage:
    with sessions() as session:
        message = session.get(OutboxMessage, message_id)
        assert message is not None
        return message


def test_queued_message_is_delivered_once_with_its_result(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    message_id = queue(sessions, clock)
    assert worker.deliver_due().sent == [message_id]
    assert worker.deliver_due().touched == 0
    assert delivered(standin, "U_BOB") == ["hello"]
    message = stored(sessions, message_id)
    assert message.status == OutboxStatus.SENT and message.result_ts and message.result_channel.startswith("D")


def test_rate_limit_then_server_error_delays_but_delivers_exactly_once(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", status=429, retry_after=7)
    standin.fail_next("chat.postMessage", status=500)
    message_id = queue(sessions, clock)

    assert worker.deliver_due().retrying == [message_id]  # 429
    assert stored(sessions, message_id).next_attempt_at == clock.now() + timedelta(seconds=7)
    clock.advance(timedelta(seconds=5))
    assert worker.deliver_due().touched == 0, "Retry-After is honoured, not the shorter backoff"

    clock.advance(timedelta(seconds=2))
    assert worker.deliver_due().retrying == [message_id]  # 500
    assert worker.deliver_due().touched == 0, "backs off after a 5xx"
    clock.advance(timedelta(seconds=5))
    assert worker.deliver_due().touched == 0, "a 5xx may have posted: not looked for before it could have landed"

    clock.advance(LANDING_WINDOW)
    assert worker.deliver_due().sent == [message_id]
    attempts = standin.calls_to("chat.postMessage")
    assert [call.status for call in attempts] == [429, 500, 200]
    assert delivered(standin, "U_BOB") == ["hello"]


def test_permanent_error_is_recorded_not_retried(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    message_id = queue(sessions, clock, to="U_GONE")
    assert worker.deliver_due().failed == [message_id]
    clock.advance(timedelta(hours=1))
    assert worker.deliver_due().touched == 0
    message = stored(sessions, message_id)
    assert (message.status, message.last_error) == (OutboxStatus.FAILED, "user_disabled")
    assert len(standin.calls_to("chat.postMessage")) == 1


def test_each_channel_is_paced_and_kept_in_order(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    for text in ("one", "two", "three"):
        queue(sessions, clock, text=text)
    queue(sessions, clock, to="U_CAROL", text="carol's")
    assert len(worker.deliver_due().sent) == 2, "one message per channel per second"
    assert worker.deliver_due().touched == 0
    clock.advance(timedelta(seconds=1))
    worker.deliver_due()
    clock.advance(timedelta(seconds=1))
    worker.deliver_due()
    assert delivered(standin, "U_BOB") == ["one", "two", "three"]
    assert delivered(standin, "U_CAROL") == ["carol's"]


def test_a_failing_message_holds_back_later_ones_to_the_same_channel(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", status=503)
    queue(sessions, clock, text="first")
    queue(sessions, clock, text="second")
    worker.deliver_due()
    clock.advance(LANDING_WINDOW)
    worker.deliver_due()
    clock.advance(timedelta(seconds=2))
    worker.deliver_due()
    assert delivered(standin, "U_BOB") == ["first", "second"]


def test_same_dedupe_key_queues_once(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    queue(sessions, clock, key="digest:python:2026-W10:U_BOB")
    queue(sessions, clock, key="digest:python:2026-W10:U_BOB")
    worker.deliver_due()
    assert delivered(standin, "U_BOB") == ["hello"]


def test_rolled_back_change_sends_nothing(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    with sessions() as session:
        post_message(session, channel="U_BOB", text="never", kind="test", now=clock.now())
        session.rollback()
    assert worker.deliver_due().touched == 0
    assert standin.calls_to("chat.postMessage") == []


def test_update_waits_for_the_original_and_edits_it(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", status=500)
    with sessions.begin() as session:
        original = post_message(session, channel="U_BOB", text="claim me", kind="test", now=clock.now())
        update_message(session, original=original, text="claimed by carol", kind="test", now=clock.now())
    worker.deliver_due()
    assert standin.calls_to("chat.update") == [], "no update before the original exists"
    clock.advance(LANDING_WINDOW)
    worker.deliver_due()
    clock.advance(timedelta(seconds=1))
    worker.deliver_due()
    update = standin.calls_to("chat.update")
    assert len(update) == 1 and update[0].ok and update[0].params["text"] == "claimed by carol"


def test_timeout_that_reached_slack_is_not_posted_twice(
    sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    impatient = WebClient(token=standin.token, base_url=standin.url, timeout=0.2, retry_handlers=[])
    worker = DeliveryWorker(session_factory=sessions, client=impatient, clock=clock, jitter=lambda: 0.5)
    standin.fail_next("chat.postMessage", delay=0.5)
    message_id = queue(sessions, clock)
    assert worker.deliver_due().retrying == [message_id]
    _wait_until(lambda: len(standin.messages_to("U_BOB")) == 1)
    clock.advance(LANDING_WINDOW)
    assert worker.deliver_due().sent == [message_id]
    assert delivered(standin, "U_BOB") == ["hello"], "found in history, not posted again"
    assert len(standin.calls_to("conversations.history")) == 1


@pytest.mark.parametrize(
    "crash_in",
    [
        pytest.param("_finish", id="after-posting-before-recording"),
        pytest.param("_call", id="before-the-request-left"),
    ],
)
def test_a_crash_mid_delivery_sends_exactly_once_after_restart(
    crash_in: str,
    sessions: sessionmaker[Session],
    client: WebClient,
    clock: ManualClock,
    standin: SlackStandin,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crashing = DeliveryWorker(session_factory=sessions, client=client, clock=clock)
    message_id = queue(sessions, clock)

    def crash(*_args: object, **_kwargs: object) -> None:
        raise SystemExit("killed mid-delivery")

    monkeypatch.setattr(crashing, crash_in, crash)
    with pytest.raises(SystemExit):
        crashing.deliver_due()
    assert stored(sessions, message_id).status == OutboxStatus.SENDING

    restarted = DeliveryWorker(session_factory=sessions, client=client, clock=clock)
    assert restarted.deliver_due().touched == 0, "the lease protects a message another process may be sending"
    clock.advance(timedelta(minutes=2))
    assert restarted.deliver_due().sent == [message_id]
    assert delivered(standin, "U_BOB") == ["hello"]


def test_two_workers_never_send_the_same_message(
    sessions: sessionmaker[Session], client: WebClient, clock: ManualClock, standin: SlackStandin
) -> None:
    import threading

    for index in range(12):
        queue(sessions, clock, to=["U_BOB", "U_CAROL", "U_DAN", "U_ALICE"][index % 4], text=f"m{index}")
    workers = [
        DeliveryWorker(session_factory=sessions, client=client, clock=clock, channel_pace=timedelta(0))
        for _ in range(3)
    ]
    for _ in range(6):
        threads = [threading.Thread(target=w.deliver_due) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    texts = [call.params["text"] for call in standin.calls_to("chat.postMessage") if call.ok]
    assert sorted(texts) == sorted(f"m{index}" for index in range(12))


def _wait_until(condition: object, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def test_server_error_may_have_posted_so_history_is_checked_first(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", status=502)
    message_id = queue(sessions, clock)
    worker.deliver_due()
    clock.advance(LANDING_WINDOW)
    assert worker.deliver_due().sent == [message_id]
    assert len(standin.calls_to("conversations.history")) == 1
    assert delivered(standin, "U_BOB") == ["hello"]


def test_when_the_check_fails_the_message_waits_instead_of_posting_blind(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", status=500)
    standin.fail_next("conversations.history", status=500)
    message_id = queue(sessions, clock)
    worker.deliver_due()
    clock.advance(LANDING_WINDOW)
    assert worker.deliver_due().retrying == [message_id]
    assert len(standin.calls_to("chat.postMessage")) == 1, "not posted while Slack cannot say whether it arrived"
    clock.advance(LANDING_WINDOW)
    assert worker.deliver_due().sent == [message_id]
    assert delivered(standin, "U_BOB") == ["hello"]


def test_uncertain_thread_reply_is_looked_for_in_its_thread(
    sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    parent = WebClient(token=standin.token, base_url=standin.url).chat_postMessage(channel="C_GENERAL", text="question")
    impatient = WebClient(token=standin.token, base_url=standin.url, timeout=0.2, retry_handlers=[])
    worker = DeliveryWorker(session_factory=sessions, client=impatient, clock=clock, jitter=lambda: 0.5)
    standin.fail_next("chat.postMessage", delay=0.5)
    with sessions.begin() as session:
        post_message(session, channel="C_GENERAL", text="reply", kind="test", now=clock.now(), thread_ts=parent["ts"])
    worker.deliver_due()
    _wait_until(lambda: len([c for c in standin.calls_to("chat.postMessage") if c.ok]) == 2)
    clock.advance(LANDING_WINDOW)
    worker.deliver_due()
    replies = [c for c in standin.calls_to("chat.postMessage") if c.ok and c.params.get("thread_ts")]
    assert len(replies) == 1 and len(standin.calls_to("conversations.replies")) == 1


def test_deliver_queued_returns_while_a_lane_head_backs_off(
    sessions: sessionmaker[Session], client: WebClient, clock: ManualClock, standin: SlackStandin
) -> None:
    worker = DeliveryWorker(session_factory=sessions, client=client, clock=clock)
    standin.fail_next("chat.postMessage", status=500, times=100)
    queue(sessions, clock, to="C_GENERAL", text="one")
    queue(sessions, clock, to="C_GENERAL", text="two")
    clock.advance(timedelta(seconds=30))  # both are long due; the head fails and backs off
    slept: list[float] = []
    worker.deliver_queued(sleep=slept.append, settle=timedelta(0))
    assert len(slept) < 5 and worker.pending_count() == 2


def test_a_busy_lane_does_not_starve_the_others(
    sessions: sessionmaker[Session],
    client: WebClient,
    clock: ManualClock,
    standin: SlackStandin,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import bot.delivery.worker

    monkeypatch.setattr(bot.delivery.worker, "BATCH", 3)
    worker = DeliveryWorker(session_factory=sessions, client=client, clock=clock)
    standin.fail_next("chat.postMessage", status=500)
    for index in range(6):
        queue(sessions, clock, to="U_BOB", text=f"busy {index}")
    queue(sessions, clock, to="U_CAROL", text="for carol")
    worker.deliver_due()
    assert delivered(standin, "U_CAROL") == ["for carol"]


def test_a_late_worker_cannot_overwrite_the_outcome_of_the_one_that_took_over(
    sessions: sessionmaker[Session],
    client: WebClient,
    clock: ManualClock,
    standin: SlackStandin,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slow = DeliveryWorker(session_factory=sessions, client=client, clock=clock)
    message_id = queue(sessions, clock)
    claim = slow._claim(message_id)
    assert claim is not None
    clock.advance(timedelta(minutes=2))
    DeliveryWorker(session_factory=sessions, client=client, clock=clock).deliver_due()
    from bot.delivery.worker import Outcome

    slow._finish(claim, Outcome(OutboxStatus.PENDING, error="late", retry_at=clock.now()))
    assert stored(sessions, message_id).status == OutboxStatus.SENT
    assert delivered(standin, "U_BOB") == ["hello"]


def test_a_channel_we_cannot_read_is_posted_to_after_an_uncertain_attempt(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", status=500)
    standin.fail_next("conversations.history", error="missing_scope")
    message_id = queue(sessions, clock)
    worker.deliver_due()
    clock.advance(LANDING_WINDOW)
    assert worker.deliver_due().sent == [message_id]


def test_a_working_hours_message_waits_for_the_recipients_morning_without_holding_up_their_other_messages(
    sessions: sessionmaker[Session], client: WebClient, clock: ManualClock, standin: SlackStandin
) -> None:
    """Monday 09:00 UTC is 18:00 in Tokyo: the check-in waits for Tuesday 09:00 there; a welcome does not wait."""
    zones = {"U_BOB": ZoneInfo("Asia/Tokyo")}
    worker = DeliveryWorker(session_factory=sessions, client=client, clock=clock, zone_of=zones.get)
    with sessions.begin() as session:
        checkin = post_message(
            session, channel="U_BOB", text="how is it going?", kind="checkin", now=clock.now(), working_hours_zone="UTC"
        )
        session.flush()
        checkin_id = checkin.id
    welcome_id = queue(sessions, clock, text="welcome!")
    report = worker.deliver_due()
    assert report.deferred == [checkin_id] and report.sent == [welcome_id]
    assert delivered(standin, "U_BOB") == ["welcome!"]
    tokyo_morning = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    assert stored(sessions, checkin_id).next_attempt_at == tokyo_morning and stored(sessions, checkin_id).attempts == 0
    assert worker.waiting_for_working_hours() == 1
    clock.advance(tokyo_morning - clock.now() - timedelta(minutes=1))
    assert worker.deliver_due().touched == 0
    clock.advance(timedelta(minutes=1))
    assert worker.deliver_due().sent == [checkin_id]
    assert delivered(standin, "U_BOB") == ["welcome!", "how is it going?"]


def test_without_a_slack_time_zone_the_fallback_zone_decides(
    sessions: sessionmaker[Session], client: WebClient, clock: ManualClock, standin: SlackStandin
) -> None:
    worker = DeliveryWorker(session_factory=sessions, client=client, clock=clock)
    with sessions.begin() as session:
        post_message(
            session, channel="U_DAN", text="hi", kind="checkin", now=clock.now(), working_hours_zone="America/New_York"
        )
    assert len(worker.deliver_due().deferred) == 1, "09:00 UTC is 04:00 in New York"
    clock.advance(timedelta(hours=5))
    assert len(worker.deliver_due().sent) == 1


@pytest.mark.parametrize(
    ("local", "starts"),
    [
        ("2026-03-02 08:59", "2026-03-02 09:00"),  # Monday before work
        ("2026-03-02 09:00", "2026-03-02 09:00"),  # at work: now
        ("2026-03-02 16:59", "2026-03-02 16:59"),
        ("2026-03-02 17:00", "2026-03-03 09:00"),  # after work: tomorrow
        ("2026-03-06 18:00", "2026-03-09 09:00"),  # Friday evening: Monday
        ("2026-03-07 11:00", "2026-03-09 09:00"),  # Saturday: Monday
    ],
)
def test_working_hours_are_nine_to_five_monday_to_friday(local: str, starts: str) -> None:
    zone = ZoneInfo("Europe/Berlin")
    moment = datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=zone)
    assert working_hours_start(moment, zone) == datetime.strptime(starts, "%Y-%m-%d %H:%M").replace(tzinfo=zone)


def test_a_post_that_landed_before_a_500_is_found_past_the_first_page_of_history(
    worker: DeliveryWorker,
    sessions: sessionmaker[Session],
    clock: ManualClock,
    standin: SlackStandin,
    client: WebClient,
) -> None:
    standin.fail_next("chat.postMessage", status=500, lands=True)
    message_id = queue(sessions, clock, to="C_GENERAL")
    assert worker.deliver_due().retrying == [message_id]
    for index in range(250):  # the channel moves on before the retry
        client.chat_postMessage(channel="C_GENERAL", text=f"chatter {index}")
    clock.advance(LANDING_WINDOW)
    assert worker.deliver_due().sent == [message_id]
    assert [m.text for m in standin.workspace.history("C_GENERAL")].count("hello") == 1
    assert len(standin.calls_to("conversations.history")) == 2, "read page after page"


def test_a_slow_post_is_not_looked_for_before_it_could_have_landed(
    sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    impatient = WebClient(token=standin.token, base_url=standin.url, timeout=0.2, retry_handlers=[])
    worker = DeliveryWorker(session_factory=sessions, client=impatient, clock=clock, jitter=lambda: 0.5)
    standin.fail_next("chat.postMessage", delay=0.6)  # slower than the client's timeout; lands afterwards
    message_id = queue(sessions, clock)
    assert worker.deliver_due().retrying == [message_id]
    clock.advance(timedelta(seconds=5))  # past any backoff, still inside the landing window
    assert worker.deliver_due().touched == 0
    _wait_until(lambda: len(standin.messages_to("U_BOB")) == 1)
    clock.advance(LANDING_WINDOW)
    assert worker.deliver_due().sent == [message_id]
    assert delivered(standin, "U_BOB") == ["hello"]


def test_a_garbage_answer_may_hide_a_real_post_so_history_is_checked(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", raw_body="<html><body>502 Bad Gateway</body></html>", lands=True)
    message_id = queue(sessions, clock)
    assert worker.deliver_due().retrying == [message_id]
    assert stored(sessions, message_id).uncertain
    clock.advance(LANDING_WINDOW)
    assert worker.deliver_due().sent == [message_id]
    assert [m.text for m in standin.workspace.history(standin.workspace.dm_channel_for("U_BOB").id)] == ["hello"]


@pytest.mark.parametrize(
    "error",
    [
        "restricted_action_read_only_channel",
        "is_archived",
        "posting_to_channel_denied",
        "no_permission",  # one channel's posting rules, not the token: the lane must not wait for an admin
        "team_access_not_granted",
        "a_new_slack_error",
    ],
)
def test_a_channel_that_refuses_posts_fails_fast_and_frees_its_lane(
    error: str, worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", error=error)
    refused = queue(sessions, clock, to="C_GENERAL", text="refused")
    queue(sessions, clock, to="C_GENERAL", text="next")
    assert worker.deliver_due().failed == [refused]
    clock.advance(timedelta(seconds=1))
    worker.deliver_due()
    assert delivered(standin, "C_GENERAL") == ["next"]
    assert stored(sessions, refused).last_error == error


def test_not_in_channel_after_a_failed_join_fails_fast(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", error="not_in_channel")
    standin.fail_next("conversations.join", error="method_not_supported_for_channel_type")
    message_id = queue(sessions, clock, to="C_GENERAL")
    assert worker.deliver_due().failed == [message_id]
    assert stored(sessions, message_id).last_error == "not_in_channel"


def test_a_token_problem_keeps_messages_waiting_for_an_admin(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", error="invalid_auth")
    message_id = queue(sessions, clock)
    assert worker.deliver_due().retrying == [message_id]
    clock.advance(timedelta(minutes=9))
    assert worker.deliver_due().touched == 0
    clock.advance(timedelta(minutes=1))
    assert worker.deliver_due().sent == [message_id]


def test_a_refused_message_sent_on_someones_behalf_tells_them_why(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", error="is_archived")
    with sessions.begin() as session:
        post_message(
            session,
            channel="C_GENERAL",
            text="How?",
            kind="question",
            now=clock.now(),
            on_behalf_of="U_BOB",
            describes="your question in <#C_GENERAL>",
        )
    worker.deliver_due()
    clock.advance(timedelta(seconds=1))
    worker.deliver_due()
    assert delivered(standin, "U_BOB") == ["I couldn't deliver your question in <#C_GENERAL>: the channel is archived."]


def test_a_long_history_check_keeps_the_message_from_a_second_worker(
    worker: DeliveryWorker,
    sessions: sessionmaker[Session],
    clock: ManualClock,
    standin: SlackStandin,
    client: WebClient,
) -> None:
    standin.fail_next("chat.postMessage", status=500)  # did not land, but may have: the retry looks first
    message_id = queue(sessions, clock, to="C_GENERAL")
    worker.deliver_due()
    for index in range(450):
        client.chat_postMessage(channel="C_GENERAL", text=f"chatter {index}")
    clock.advance(LANDING_WINDOW)
    other = DeliveryWorker(session_factory=sessions, client=client, clock=clock, jitter=lambda: 0.5)
    pages_read: list[str] = []

    def slow_pages(call: RecordedCall) -> None:
        if call.method != "conversations.history" or len(pages_read) >= 3:
            return
        pages_read.append(call.method)
        clock.advance(LEASE * 0.45)  # each page is slow; three outlast one lease
        if len(pages_read) == 3:
            other.deliver_due()  # the second worker sees a message whose first lease has run out

    standin.on_call(slow_pages)
    assert worker.deliver_due().sent == [message_id]
    other.stop()
    assert [m.text for m in standin.workspace.history("C_GENERAL")].count("hello") == 1


def test_a_message_whose_delivery_cannot_be_checked_for_a_day_fails_and_says_so(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    standin.fail_next("chat.postMessage", status=500)
    standin.fail_next("conversations.history", status=500, times=1000)
    message_id = queue(sessions, clock, to="C_GENERAL")
    worker.deliver_due()
    for _ in range(GIVE_UP_AFTER // timedelta(hours=2) + 1):
        clock.advance(timedelta(hours=2))
        worker.deliver_due()
    message = stored(sessions, message_id)
    assert message.status == OutboxStatus.FAILED.value
    assert message.last_error == "gave up after 24 h: could not check for an earlier delivery"
    assert delivered(standin, "C_GENERAL") == []


def test_a_pass_with_nothing_due_says_when_the_next_lane_may_go(
    worker: DeliveryWorker, sessions: sessionmaker[Session], clock: ManualClock, standin: SlackStandin
) -> None:
    """Regression: the worker slept its idle second whatever held a lane back, so a channel's second
    message waited up to two seconds behind its first instead of the one its pace asks."""
    first, second = queue(sessions, clock, text="one"), queue(sessions, clock, text="two")
    assert worker.deliver_due().sent == [first]
    report = worker.deliver_due()
    assert report.touched == 0
    assert report.next_lane_in == pytest.approx(CHANNEL_PACE.total_seconds()), "the channel's pace, not an idle second"
    clock.advance(CHANNEL_PACE)
    assert worker.deliver_due().sent == [second]
    assert worker.deliver_due().next_lane_in is None, "nothing is waiting"
    assert delivered(standin, "U_BOB") == ["one", "two"]
