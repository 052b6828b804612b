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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from storage.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "user_not_found",
        "user_disabled",
        "account_inactive",
        "is_archived",
        "not_in_channel",
        "cannot_dm_bot",
        "messages_tab_disabled",
        "restricted_action",
        "invalid_blocks",
        "invalid_blocks_format",
        "invalid_arguments",
        "msg_too_long",
        "no_text",
        "too_many_attachments",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
        "invalid_metadata_format",
        "method_not_supported_for_channel_type",
        "not_found",
    }
)
METADATA_EVENT_TYPE = "copbot_delivery"
CHANNEL_PACE = timedelta(seconds=1)
LEASE = timedelta(seconds=60)
GIVE_UP_AFTER = timedelta(hours=24)
MAX_BACKOFF = timedelta(minutes=10)
BATCH = 500


@dataclass
class DeliveryReport:
    """What one pass of the worker did."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def touched(self) -> int:
        """How many messages this pass attempted."""
        return len(self.sent) + len(self.retrying) + len(self.failed)


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
        clock: Clock,
        idle_wait: float = 1.0,
        channel_pace: timedelta = CHANNEL_PACE,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._sessions = session_factory
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
            if report.touched == 0:
                self._wake.wait(self._idle_wait)
                self._wake.clear()

    def deliver_due(self) -> DeliveryReport:
        """Attempt every message that is due now, oldest first, one per channel per pass."""
        with self._pass_lock:
            report = DeliveryReport()
            for message_id in self._due_ids():
                if self._stop.is_set():
                    break
                outcome = self._attempt(message_id)
                if outcome is None:
                    continue
                bucket = {
                    OutboxStatus.SENT: report.sent,
                    OutboxStatus.FAILED: report.failed,
                }.get(outcome.status, report.retrying)
                bucket.append(message_id)
            return report

    def deliver_queued(self, *, settle: timedelta = timedelta(seconds=2), sleep: Callable[[float], None]) -> DeliveryReport:
        """Deliver until nothing is due soon; messages waiting longer to retry are left to the worker."""
        total = DeliveryReport()
        while True:
            report = self.deliver_due()
            total.sent += report.sent
            total.failed += report.failed
            total.retrying = [i for i in total.retrying + report.retrying if i not in total.sent + total.failed]
            if report.touched:
                continue
            next_due = self.next_due_at()
            if next_due is None or next_due > self._clock.now() + settle:
                return total
            sleep(0.2)

    def pending_count(self, ids: list[int] | None = None) -> int:
        """How many messages (of `ids`, or all) still wait to be delivered."""
        with self._sessions() as session:
            query = select(OutboxMessage.id).where(
                OutboxMessage.status.in_([OutboxStatus.PENDING.value, OutboxStatus.SENDING.value])
            )
            if ids is not None:
                query = query.where(OutboxMessage.id.in_(ids))
            return len(session.scalars(query).all())

    def next_due_at(self) -> datetime | None:
        """When the earliest waiting message becomes due, or None when none waits."""
        with self._sessions() as session:
            return session.scalar(
                select(OutboxMessage.next_attempt_at)
                .where(OutboxMessage.status == OutboxStatus.PENDING.value)
                .order_by(OutboxMessage.next_attempt_at)
                .limit(1)
            )

    def _due_ids(self) -> list[int]:
        now = self._clock.now()
        with self._sessions() as session:
            rows = session.execute(
                select(
                    OutboxMessage.id,
                    OutboxMessage.channel,
                    OutboxMessage.method,
                    OutboxMessage.status,
                    OutboxMessage.next_attempt_at,
                    OutboxMessage.lease_until,
                )
                .where(OutboxMessage.status.in_([OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]))
                .order_by(OutboxMessage.id)
                .limit(BATCH)
            ).all()
        due: list[int] = []
        seen_channels: set[str] = set()
        for row in rows:
            if row.channel in seen_channels:
                continue  # keep each channel's messages in order: only its oldest is tried
            seen_channels.add(row.channel)
            if not self._is_due(row, now):
                continue
            due.append(row.id)
        return due

    def _is_due(self, row: Any, now: datetime) -> bool:
        if row.status == OutboxStatus.SENDING.value:
            return row.lease_until is None or row.lease_until <= now
        if row.next_attempt_at > now:
            return False
        if self._paused_until.get(row.method, now) > now:
            return False
        last = self._last_sent.get(row.channel)
        return last is None or now - last >= self._channel_pace

    def _attempt(self, message_id: int) -> Outcome | None:
        claimed = self._claim(message_id)
        if claimed is None:
            return None
        method, lane, payload, was_uncertain, first_attempt_at, created_at = claimed
        now = self._clock.now()
        if was_uncertain and method == "chat.postMessage":
            found = self._find_delivered(message_id, payload, first_attempt_at or created_at)
            if found is not None:
                return self._finish(message_id, Outcome(OutboxStatus.SENT, channel=found[0], ts=found[1]))
        outcome = self._call(method, payload, message_id, now)
        if outcome.status is OutboxStatus.SENT:
            self._last_sent[lane] = now
        if outcome.status is OutboxStatus.PENDING and now - created_at >= GIVE_UP_AFTER:
            outcome = Outcome(OutboxStatus.FAILED, error=f"gave up after 24 h: {outcome.error}")
        return self._finish(message_id, outcome)

    def _claim(self, message_id: int) -> tuple[str, str, dict[str, Any], bool, datetime | None, datetime] | None:
        """Take the message for this process (compare-and-set), or None if another has it."""
        now = self._clock.now()
        with self._sessions() as session, session.begin():
            message = session.get(OutboxMessage, message_id)
            if message is None or not self._claimable(message, now):
                return None
            dependency_fields = self._dependency_fields(session, message)
            if dependency_fields is None:
                return None
            taken_over = message.status == OutboxStatus.SENDING.value
            result = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.status == message.status)
                .where(
                    or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until == message.lease_until)
                )
                .values(
                    status=OutboxStatus.SENDING.value,
                    lease_until=now + LEASE,
                    attempts=OutboxMessage.attempts + 1,
                    first_attempt_at=message.first_attempt_at or now,
                    uncertain=message.uncertain or taken_over,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                return None
            payload = {**message.payload, **dependency_fields}
            return (
                message.method,
                message.channel,
                payload,
                message.uncertain or taken_over,
                message.first_attempt_at,
                message.created_at,
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
        if original is None or original.status == OutboxStatus.FAILED.value:
            message.status = OutboxStatus.FAILED.value
            message.last_error = "the message to update was never delivered"
            return None
        if original.status != OutboxStatus.SENT.value:
            return None
        return {"channel": original.result_channel, "ts": original.result_ts}

    def _call(self, method: str, payload: dict[str, Any], message_id: int, now: datetime) -> Outcome:
        if method == "chat.postMessage":
            payload = {
                **payload,
                "metadata": {"event_type": METADATA_EVENT_TYPE, "event_payload": {"outbox_id": message_id}},
            }
        try:
            response = self._client.api_call(method, json=payload)
        except SlackApiError as exc:
            return self._classify_api_error(exc, method, payload, message_id, now)
        except (TimeoutError, OSError) as exc:
            # The request may have reached Slack: check its history before posting again.
            return self._retry(now, message_id, f"network: {exc}", uncertain=True)
        data = response.data if isinstance(response.data, dict) else {}
        channel, ts = data.get("channel"), data.get("ts")
        return Outcome(
            OutboxStatus.SENT,
            channel=channel if isinstance(channel, str) else None,
            ts=ts if isinstance(ts, str) else None,
        )

    def _classify_api_error(
        self, exc: SlackApiError, method: str, payload: dict[str, Any], message_id: int, now: datetime
    ) -> Outcome:
        status = exc.response.status_code
        error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
        if status == 429 or error == "ratelimited":
            wait = _retry_after_seconds(exc.response.headers)
            retry_at = now + timedelta(seconds=wait)
            self._paused_until[method] = retry_at
            return Outcome(OutboxStatus.PENDING, error=f"rate limited for {wait}s", retry_at=retry_at)
        if status >= 500:
            return self._retry(now, message_id, f"HTTP {status}")
        if error == "not_in_channel" and self._attempts(message_id) <= 2 and self._join(payload.get("channel")):
            return Outcome(OutboxStatus.PENDING, error="joined the channel first", retry_at=now)
        if error in PERMANENT_ERRORS:
            log.warning("outbox message %s failed permanently: %s", message_id, error)
            return Outcome(OutboxStatus.FAILED, error=error)
        return self._retry(now, message_id, error or f"HTTP {status}")

    def _join(self, channel: str | None) -> bool:
        if not channel or not channel.startswith("C"):
            return False
        try:
            self._client.conversations_join(channel=channel)
        except SlackApiError:
            log.warning("could not join channel %s to post there", channel, exc_info=True)
            return False
        return True

    def _retry(self, now: datetime, message_id: int, error: str, *, uncertain: bool = False) -> Outcome:
        attempts = self._attempts(message_id)
        base = min(2 ** max(attempts - 1, 0), MAX_BACKOFF.total_seconds())
        delay = timedelta(seconds=base * (0.75 + 0.5 * self._jitter()))
        return Outcome(OutboxStatus.PENDING, error=error, retry_at=now + delay, uncertain=uncertain)

    def _attempts(self, message_id: int) -> int:
        with self._sessions() as session:
            return session.scalar(select(OutboxMessage.attempts).where(OutboxMessage.id == message_id)) or 1

    def _find_delivered(
        self, message_id: int, payload: dict[str, Any], since: datetime
    ) -> tuple[str, str] | None:
        """Look in the channel's recent history for this message from an earlier, uncertain attempt."""
        channel = payload.get("channel", "")
        try:
            if channel.startswith(("U", "W")):
                channel = self._client.conversations_open(users=channel)["channel"]["id"]
            history = self._client.conversations_history(
                channel=channel, oldest=f"{since.timestamp() - 60:.6f}", limit=200, include_all_metadata=True
            )
        except (SlackApiError, TimeoutError, OSError):
            log.warning("could not check whether message %s was already delivered", message_id, exc_info=True)
            return None
        for message in history.get("messages", []):
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == METADATA_EVENT_TYPE and (
                (metadata.get("event_payload") or {}).get("outbox_id") == message_id
            ):
                return channel, message["ts"]
        return None

    def _finish(self, message_id: int, outcome: Outcome) -> Outcome:
        now = self._clock.now()
        values: dict[str, Any] = {"status": outcome.status.value, "lease_until": None, "last_error": outcome.error}
        if outcome.status is OutboxStatus.SENT:
            values.update(sent_at=now, result_channel=outcome.channel, result_ts=outcome.ts, uncertain=False)
        elif outcome.status is OutboxStatus.PENDING:
            values["next_attempt_at"] = outcome.retry_at or now
            if outcome.uncertain:
                values["uncertain"] = True  # once uncertain, stays so until found or sent
        with self._sessions() as session, session.begin():
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.SENDING.value)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        return outcome


def _retry_after_seconds(headers: Any) -> int:
    raw = None
    if headers:
        for key, value in dict(headers).items():
            if key.lower() == "retry-after":
                raw = value[0] if isinstance(value, list) else value
    try:
        return max(1, int(raw)) if raw is not None else 30
    except ValueError:
        return 30
