"""The delivery worker: sends outbox messages once each, whatever Slack does.

Honours 429 `Retry-After`, retries 5xx and timeouts with backoff, paces each
channel to about one message a second, records permanent errors, and survives
restarts: an attempt that may have reached Slack (timeout, crash) is checked
against the channel's history before the message is posted again.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.delivery.budget import Budget, slack_budgets
from bot.delivery.outbox import RESPONSE_URL, WORKING_HOURS_LANE, post_message
from bot.delivery.policy import (
    PERMANENT_ERRORS,
    Verdict,
    backoff,
    explain,
    judge,
    retry_after_seconds,
    working_hours_start,
)
from storage.db import rows_changed, set_once
from storage.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

METADATA_EVENT_TYPE = "copbot_delivery"
CHANNEL_PACE = timedelta(seconds=1)
# How long after an attempt began its request may still land at Slack (our 10 s timeout, then Slack
# finishing what it received): an uncertain attempt is looked for only after this, and a leased
# message is taken over only after this.
LANDING_WINDOW = timedelta(seconds=90)
LEASE = LANDING_WINDOW
ADMIN_PAUSE = timedelta(minutes=10)  # the token or scopes are wrong: try again now and then, until 24 h
GIVE_UP_AFTER = timedelta(hours=24)
HISTORY_PAGES = 50  # 10,000 messages after the first attempt: more means the channel is a firehose
BATCH = 500


@dataclass
class DeliveryReport:
    """What one pass of the worker did."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)  # waiting for the recipient's working hours
    waiting_for_budget: float | None = None  # seconds until a method's budget lets the next call go
    next_lane_in: float | None = None  # seconds until the soonest lane held back (pace, retry, pause) may go

    @property
    def touched(self) -> int:
        """How many messages this pass attempted or put off."""
        return len(self.sent) + len(self.retrying) + len(self.failed) + len(self.deferred)


@dataclass
class Claim:
    """A message this process has leased for one attempt (the lease is renewed during a long check)."""

    message_id: int
    method: str
    lane: str
    payload: dict[str, Any]
    uncertain: bool
    since: datetime
    created_at: datetime
    lease_until: datetime
    attempt: int  # 1 for the first attempt
    on_behalf_of: str | None = None
    describes: str | None = None


@dataclass(frozen=True)
class LaneHead:
    """The oldest unfinished message of a lane, as far as scheduling its next attempt needs."""

    id: int
    channel: str
    method: str
    status: str
    next_attempt_at: datetime
    lease_until: datetime | None
    working_hours_zone: str | None


class CheckFailed(Exception):
    """Slack could not tell whether an earlier attempt was delivered."""


class LeaseLost(Exception):
    """Another process took the message over while this one was still at it: it is theirs now."""


@dataclass(frozen=True)
class Outcome:
    """How one attempt ended."""

    status: OutboxStatus
    error: str | None = None
    retry_at: datetime | None = None
    uncertain: bool = False
    channel: str | None = None
    ts: str | None = None


class DeliveryWorker:
    """Delivers due outbox messages; `deliver_due` is one pass, `start` runs passes on a thread."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        client: WebClient,
        read_sessions: sessionmaker[Session] | None = None,
        clock: Clock,
        idle_wait: float = 1.0,
        channel_pace: timedelta = CHANNEL_PACE,
        jitter: Callable[[], float] = random.random,
        zone_of: Callable[[str], ZoneInfo | None] = lambda _user: None,
        budgets: dict[str, Budget] | None = None,
        senders: int = 1,
    ) -> None:
        self._sessions = session_factory
        self._reads = read_sessions or session_factory  # scans that never wait for a writer
        self._zone_of = zone_of  # a person's Slack time zone, for messages that wait for working hours
        self._client = client
        self._clock = clock
        self._idle_wait = idle_wait
        self._channel_pace = channel_pace
        self._jitter = jitter
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pass_lock = threading.Lock()
        self._last_sent: dict[str, datetime] = {}
        self._paused_until: dict[str, datetime] = {}
        self._budgets = slack_budgets() if budgets is None else budgets  # workspace-wide, per method
        # Several senders overlap Slack's round trips (each lane still sends one message at a time).
        self._senders = ThreadPoolExecutor(senders, thread_name_prefix="copbot-send") if senders > 1 else None

    def wake(self) -> None:
        """Ask the worker thread to look for work now (called after a commit queued some)."""
        self._wake.set()

    def start(self) -> None:
        """Run delivery passes on a daemon thread until `stop`."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="copbot-delivery", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the thread after its current attempt."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                report = self.deliver_due()
            except Exception:
                log.exception("delivery pass failed; trying again shortly")
                report = DeliveryReport()
            if report.waiting_for_budget is not None:  # the rest must wait for Slack's rate
                self._wake.wait(min(self._idle_wait, report.waiting_for_budget))
                self._wake.clear()
            elif report.touched == 0:  # nothing due: look again when the next lane may go, or new work arrives
                self._wake.wait(min(self._idle_wait, report.next_lane_in or self._idle_wait))
                self._wake.clear()

    def deliver_due(self) -> DeliveryReport:
        """Attempt every message that is due now, oldest first, one per channel per pass (with several
        senders, attempts in different lanes overlap: each lane still has one message in flight)."""
        with self._pass_lock:
            report = DeliveryReport()
            attempts: list[tuple[int, str, Future[Outcome | None]]] = []
            due, report.next_lane_in = self._due_heads()
            for head in due:
                if self._stop.is_set():
                    break
                now = self._clock.now()
                ready = self._due_time(head, now)
                if ready > now:  # this pass spent the method's budget: later passes take the rest
                    wait = (ready - now).total_seconds()
                    report.waiting_for_budget = min(report.waiting_for_budget or wait, wait)
                    continue
                message_id = head.id
                if head.working_hours_zone is not None and self._defer_to_working_hours(head):
                    report.deferred.append(message_id)
                    continue
                if (budget := self._budgets.get(head.method)) is not None:
                    budget.spend(now)  # spent as the attempt is handed out, so senders never overdraw it
                attempts.append((message_id, head.method, self._send(self._attempt, message_id)))
            for message_id, method, attempt in attempts:
                outcome = attempt.result()
                if outcome is None:  # not ours, or waiting for the message it updates: Slack was not called
                    if (budget := self._budgets.get(method)) is not None:
                        budget.refund()
                    continue
                bucket = {
                    OutboxStatus.SENT: report.sent,
                    OutboxStatus.FAILED: report.failed,
                }.get(outcome.status, report.retrying)
                bucket.append(message_id)
            return report

    def _send(self, attempt: Callable[[int], Outcome | None], message_id: int) -> Future[Outcome | None]:
        """Run one attempt on the sender threads, or here when there is one sender."""
        if self._senders is None:
            done: Future[Outcome | None] = Future()
            done.set_result(attempt(message_id))
            return done
        return self._senders.submit(attempt, message_id)

    def deliver_queued(
        self, *, settle: timedelta = timedelta(seconds=2), sleep: Callable[[float], None]
    ) -> DeliveryReport:
        """Deliver until nothing is due soon; messages waiting longer to retry are left to the worker (see pending_count)."""
        total = DeliveryReport()
        while True:
            report = self.deliver_due()
            total.sent += report.sent
            total.failed += report.failed
            if report.touched:
                continue
            next_due = self.next_due_at()
            if next_due is None or next_due > self._clock.now() + settle:
                return total
            sleep(0.2)

    def pending_count(self) -> int:
        """How many messages still wait to be delivered."""
        unfinished = [OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]
        with self._reads() as session:
            return int(
                session.scalar(
                    select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status.in_(unfinished))
                )
                or 0
            )

    def waiting_for_working_hours(self) -> int:
        """How many messages wait for their recipients' working hours (put off, not failing)."""
        with self._reads() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(
                        OutboxMessage.status == OutboxStatus.PENDING.value,
                        OutboxMessage.working_hours_zone.is_not(None),
                        OutboxMessage.attempts == 0,
                    )
                )
                or 0
            )

    def next_due_at(self) -> datetime | None:
        """When the next attempt can happen: the earliest of each lane's oldest waiting message."""
        now = self._clock.now()
        times = [self._due_time(row, now) for row in self._lane_heads()]
        return min(times) if times else None

    def _due_heads(self) -> tuple[list[LaneHead], float | None]:
        """The lane heads that may go now, Slack's budget aside (the pass spends it head by head, and
        says how long until it lets the next one go), and the seconds until the soonest other may go."""
        now = self._clock.now()
        due: list[LaneHead] = []
        soonest: datetime | None = None
        for row in self._lane_heads():
            at = self._lane_due_time(row, now)
            if at <= now:
                due.append(row)
            elif soonest is None or at < soonest:
                soonest = at
        return due, None if soonest is None else (soonest - now).total_seconds()

    def _defer_to_working_hours(self, head: LaneHead) -> bool:
        """Put a message off until the recipient's working hours; False when they are at work now.

        The time zone lookup may ask Slack, so it happens here, outside any transaction.
        """
        assert head.working_hours_zone is not None
        recipient = head.channel.removesuffix(WORKING_HOURS_LANE)
        zone = self._zone_of(recipient) or ZoneInfo(head.working_hours_zone)
        now = self._clock.now()
        start = working_hours_start(now, zone)
        if start <= now:
            return False
        with self._sessions() as session, session.begin():
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == head.id, OutboxMessage.status == OutboxStatus.PENDING.value)
                .values(next_attempt_at=start)
                .execution_options(synchronize_session=False)
            )
        return True

    def _lane_heads(self) -> list[LaneHead]:
        """The oldest unfinished message of each lane: only it may be tried, so each lane keeps its order."""
        unfinished = [OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]
        heads = (
            select(func.min(OutboxMessage.id))
            .where(OutboxMessage.status.in_(unfinished))
            .group_by(OutboxMessage.channel)
            .scalar_subquery()
        )
        with self._reads() as session:
            rows = session.execute(
                select(
                    OutboxMessage.id,
                    OutboxMessage.channel,
                    OutboxMessage.method,
                    OutboxMessage.status,
                    OutboxMessage.next_attempt_at,
                    OutboxMessage.lease_until,
                    OutboxMessage.working_hours_zone,
                )
                .where(OutboxMessage.id.in_(heads))
                .order_by(OutboxMessage.method != RESPONSE_URL, OutboxMessage.id)  # someone waits for a reply
                .limit(BATCH)
            ).all()
        return [LaneHead(*row) for row in rows]

    def _due_time(self, row: LaneHead, now: datetime) -> datetime:
        """The earliest moment (`now` at the soonest) this lane head may be attempted."""
        due = self._lane_due_time(row, now)
        budget = self._budgets.get(row.method) if row.status != OutboxStatus.SENDING.value else None
        return due if budget is None else max(due, budget.ready_at(now))

    def _lane_due_time(self, row: LaneHead, now: datetime) -> datetime:
        """When this lane head may be attempted as far as its lane and method go (Slack's budget aside)."""
        if row.status == OutboxStatus.SENDING.value:
            return row.lease_until or now
        candidates = [row.next_attempt_at]
        if row.method in self._paused_until:
            candidates.append(self._paused_until[row.method])
        last = self._last_sent.get(row.channel)
        if last is not None:
            candidates.append(last + self._channel_pace)
        return max(candidates)

    def _attempt(self, message_id: int) -> Outcome | None:
        claim = self._claim(message_id)
        if claim is None:
            return None
        try:
            outcome = self._outcome(claim)
        except LeaseLost:
            log.warning("outbox message %s: another process took it over during a long check", message_id)
            return None
        now = self._clock.now()
        if outcome.status is OutboxStatus.SENT:
            self._last_sent[claim.lane] = now
        if outcome.status is OutboxStatus.PENDING and now - claim.since >= GIVE_UP_AFTER:
            outcome = Outcome(OutboxStatus.FAILED, error=f"gave up after 24 h: {outcome.error}")
        return self._finish(claim, outcome)

    def _outcome(self, claim: Claim) -> Outcome:
        """One attempt: after an uncertain one, look for it first, and post only while the lease is ours."""
        if claim.uncertain and claim.method == "chat.postMessage":
            try:
                found = self._find_delivered(claim)
            except CheckFailed:
                return self._retry(self._clock.now(), claim, "could not check for an earlier delivery", uncertain=True)
            if found is not None:
                return Outcome(OutboxStatus.SENT, channel=found[0], ts=found[1])
            self._renew(claim)  # the check took a while: still ours, with a whole lease for the post
        return self._call(claim, self._clock.now())

    def _renew(self, claim: Claim) -> None:
        """Extend this process's lease on the message (compare-and-set), or raise LeaseLost."""
        lease_until = self._clock.now() + LEASE
        with self._sessions() as session, session.begin():
            renewed = _set_while_leased(session, claim, lease_until=lease_until)
        if not renewed:
            raise LeaseLost
        claim.lease_until = lease_until

    def _claim(self, message_id: int) -> Claim | None:
        """Lease the message for this process (compare-and-set), or None if another has it."""
        now = self._clock.now()
        with self._sessions() as session, session.begin():
            message = session.get(OutboxMessage, message_id)
            if message is None or not self._claimable(message, now):
                return None
            dependency_fields = self._dependency_fields(session, message)
            if dependency_fields is None:
                return None
            uncertain = message.uncertain or message.status == OutboxStatus.SENDING.value
            lease_until = now + LEASE
            result = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.status == message.status)
                .where(or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until == message.lease_until))
                .values(
                    status=OutboxStatus.SENDING.value,
                    lease_until=lease_until,
                    attempts=OutboxMessage.attempts + 1,
                    first_attempt_at=message.first_attempt_at or now,
                    uncertain=uncertain,
                )
                .execution_options(synchronize_session=False)
            )
            if rows_changed(result) != 1:
                return None
            return Claim(
                message_id=message_id,
                method=message.method,
                lane=message.channel,
                payload={**message.payload, **dependency_fields},
                uncertain=uncertain,
                since=message.first_attempt_at or now,
                created_at=message.created_at,
                lease_until=lease_until,
                attempt=message.attempts + 1,
                on_behalf_of=message.on_behalf_of,
                describes=message.describes,
            )

    @staticmethod
    def _claimable(message: OutboxMessage, now: datetime) -> bool:
        if message.status == OutboxStatus.PENDING.value:
            return message.next_attempt_at <= now
        if message.status == OutboxStatus.SENDING.value:
            return message.lease_until is None or message.lease_until <= now
        return False

    def _dependency_fields(self, session: Session, message: OutboxMessage) -> dict[str, Any] | None:
        """Channel and ts of the message this one updates; None while it is not sent yet."""
        if message.depends_on_id is None:
            return {}
        original = session.get(OutboxMessage, message.depends_on_id)
        if original is None or original.status in (OutboxStatus.FAILED.value, OutboxStatus.WITHDRAWN.value):
            message.status = OutboxStatus.FAILED.value
            message.last_error = "the message to update was never delivered"
            return None
        if original.status != OutboxStatus.SENT.value:
            return None
        return {"channel": original.result_channel, "ts": original.result_ts}

    def _call(self, claim: Claim, now: datetime) -> Outcome:
        if claim.method == RESPONSE_URL:
            return self._post_to_response_url(claim, now)
        payload = claim.payload
        if claim.method == "chat.postMessage":
            payload = {
                **payload,
                "metadata": {"event_type": METADATA_EVENT_TYPE, "event_payload": {"outbox_id": claim.message_id}},
            }
        budget = self._budgets.get(claim.method)
        try:
            response = self._client.api_call(claim.method, json=payload)
        except SlackApiError as exc:
            return self._classify_api_error(exc, claim, now)
        except (TimeoutError, OSError) as exc:
            # The request may have reached Slack: check its history before posting again.
            return self._retry(now, claim, f"network: {exc}", uncertain=True)
        if budget is not None:
            budget.recover()
        data = response.data if isinstance(response.data, dict) else {}
        channel, ts = data.get("channel"), data.get("ts")
        return Outcome(
            OutboxStatus.SENT,
            channel=channel if isinstance(channel, str) else None,
            ts=ts if isinstance(ts, str) else None,
        )

    def _post_to_response_url(self, claim: Claim, now: datetime) -> Outcome:
        """POST an ephemeral answer to a click's response_url (valid 30 minutes, up to five answers)."""
        webhook = WebhookClient(str(claim.payload.get("url", "")), timeout=self._client.timeout, retry_handlers=[])
        try:
            answer = webhook.send_dict(claim.payload.get("message") or {})
        except (TimeoutError, OSError) as exc:
            return self._retry(now, claim, f"network: {exc}", uncertain=True)
        if answer.status_code == 200:
            return Outcome(OutboxStatus.SENT)
        if answer.status_code == 429:
            wait = retry_after_seconds(answer.headers)
            return Outcome(
                OutboxStatus.PENDING, error=f"rate limited for {wait}s", retry_at=now + timedelta(seconds=wait)
            )
        if answer.status_code >= 500:
            return self._retry(now, claim, f"HTTP {answer.status_code}", uncertain=True)
        # 404 expired_url / used_url, 400 no_text …: the same answer will never be taken
        return Outcome(OutboxStatus.FAILED, error=f"HTTP {answer.status_code}: {answer.body[:100]}")

    def _classify_api_error(self, exc: SlackApiError, claim: Claim, now: datetime) -> Outcome:
        status = exc.response.status_code
        error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        verdict = judge(status, error)
        if verdict is Verdict.RATE_LIMITED:
            wait = retry_after_seconds(exc.response.headers)
            retry_at = now + timedelta(seconds=wait)
            self._paused_until[claim.method] = retry_at
            if (budget := self._budgets.get(claim.method)) is not None:
                budget.slow_down(now)
            return Outcome(OutboxStatus.PENDING, error=f"rate limited for {wait}s", retry_at=retry_at)
        if verdict is Verdict.MAYBE_DONE:
            return self._retry(now, claim, str(error or f"HTTP {status}")[:200], uncertain=True)
        if verdict is Verdict.SENT:
            return Outcome(OutboxStatus.SENT)
        if verdict is Verdict.RETRY:
            return self._retry(now, claim, str(error))
        if verdict is Verdict.WAIT_FOR_ADMIN:
            log.error(
                "Slack refused %s with %s: the bot token or its scopes need an admin; trying again in %d minutes",
                claim.method,
                error,
                ADMIN_PAUSE.seconds // 60,
            )
            self._paused_until[claim.method] = now + ADMIN_PAUSE
            return Outcome(OutboxStatus.PENDING, error=str(error), retry_at=now + ADMIN_PAUSE)
        if error == "not_in_channel" and claim.method == "chat.postMessage" and self._join(claim):
            return Outcome(OutboxStatus.PENDING, error="joined the channel first", retry_at=now)
        if error not in PERMANENT_ERRORS:
            log.warning(
                "outbox message %s: Slack answered %s, which is not documented; not retrying", claim.message_id, error
            )
        log.warning("outbox message %s failed permanently: %s", claim.message_id, error)
        return Outcome(OutboxStatus.FAILED, error=str(error))

    def _join(self, claim: Claim) -> bool:
        channel = claim.payload.get("channel")
        if not channel or not channel.startswith("C") or claim.attempt > 2:
            return False
        try:
            self._client.conversations_join(channel=channel)
        except SlackApiError as exc:
            log.warning("could not join channel %s to post there: %s", channel, exc.response.get("error"))
            return False
        return True

    def _retry(self, now: datetime, claim: Claim, error: str, *, uncertain: bool = False) -> Outcome:
        """Try again after a backoff; after an attempt that may have landed, not before it could have."""
        delay = backoff(claim.attempt, self._jitter())
        if uncertain:
            delay = max(delay, LANDING_WINDOW)
        return Outcome(OutboxStatus.PENDING, error=error, retry_at=now + delay, uncertain=uncertain)

    def _find_delivered(self, claim: Claim) -> tuple[str, str] | None:
        """Look in the channel (or thread) for this message from an earlier, uncertain attempt: every
        page of what was posted since a minute before the first attempt."""
        channel = claim.payload.get("channel", "")
        oldest = f"{claim.since.timestamp() - 60:.6f}"
        try:
            if channel.startswith(("U", "W")):
                channel = self._client.conversations_open(users=channel)["channel"]["id"]
            for messages in self._pages_since(channel, claim.payload.get("thread_ts"), oldest):
                if claim.lease_until - self._clock.now() < LEASE / 2:
                    self._renew(claim)  # a long history: keep the message ours while we read it
                for message in messages:
                    metadata = message.get("metadata") or {}
                    if metadata.get("event_type") == METADATA_EVENT_TYPE and (
                        (metadata.get("event_payload") or {}).get("outbox_id") == claim.message_id
                    ):
                        return channel, message["ts"]
        except SlackApiError as exc:
            if judge(exc.response.status_code, exc.response.get("error")) in (Verdict.RATE_LIMITED, Verdict.MAYBE_DONE):
                raise CheckFailed from exc  # Slack will know later: wait and look again
            # Not readable with our scopes (a private channel, say): posting again is the lesser evil.
            log.warning(
                "cannot check message %s for an earlier delivery (%s); posting",
                claim.message_id,
                exc.response.get("error"),
            )
        except (TimeoutError, OSError) as exc:
            log.warning("could not check whether message %s was already delivered: %s", claim.message_id, exc)
            raise CheckFailed from exc
        return None

    def _pages_since(self, channel: str, thread_ts: str | None, oldest: str) -> Iterator[list[dict[str, Any]]]:
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            if thread_ts:
                page = self._client.conversations_replies(
                    channel=channel, ts=thread_ts, oldest=oldest, limit=200, cursor=cursor, include_all_metadata=True
                )
            else:
                page = self._client.conversations_history(
                    channel=channel, oldest=oldest, limit=200, cursor=cursor, include_all_metadata=True
                )
            yield page.get("messages", [])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return
        log.warning("gave up looking through %s pages of %s for an earlier delivery; posting", HISTORY_PAGES, channel)

    def _finish(self, claim: Claim, outcome: Outcome) -> Outcome:
        """Record the outcome, unless the lease ran out and another process took the message over."""
        now = self._clock.now()
        values: dict[str, Any] = {"status": outcome.status.value, "lease_until": None, "last_error": outcome.error}
        if outcome.status is OutboxStatus.SENT:
            values.update(sent_at=now, result_channel=outcome.channel, result_ts=outcome.ts, uncertain=False)
        elif outcome.status is OutboxStatus.PENDING:
            values["next_attempt_at"] = outcome.retry_at or now
            if outcome.uncertain:
                values["uncertain"] = True  # once uncertain, stays so until found or sent
        with self._sessions() as session, session.begin():
            recorded = _set_while_leased(session, claim, **values)
            if recorded and outcome.status is OutboxStatus.FAILED and claim.on_behalf_of:
                self._tell_whose_action_it_was(session, claim, outcome, now)
        return outcome

    @staticmethod
    def _tell_whose_action_it_was(session: Session, claim: Claim, outcome: Outcome, now: datetime) -> None:
        error = outcome.error or ""
        reason = "Slack did not take it for a whole day" if error.startswith("gave up") else explain(error)
        assert claim.on_behalf_of is not None
        post_message(
            session,
            channel=claim.on_behalf_of,
            text=f"I couldn't deliver {claim.describes or 'your message'}: {reason}.",
            kind="delivery_failed",
            now=now,
        )


def _set_while_leased(session: Session, claim: Claim, **values: object) -> bool:
    """Set `values` on the claimed message if this process's lease on it still holds (compare-and-set);
    whether it did (False: the lease ran out and another process took the message over)."""
    return set_once(
        session,
        OutboxMessage,
        OutboxMessage.id == claim.message_id,
        OutboxMessage.status == OutboxStatus.SENDING.value,
        OutboxMessage.lease_until == claim.lease_until,
        **values,
    )
