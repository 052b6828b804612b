"""How fast the delivery worker calls each Web API method, workspace-wide.

Slack limits each method per app and workspace (its "tiers": Tier 2 is 20+ calls a minute, Tier 3
50+, Tier 4 100+, each with some burst), and chat.postMessage specially: about one message a second
per channel (the worker's lanes keep that) and a workspace-wide limit Slack does not publish. The
worker spends a token per call from each method's bucket, so a burst of 5,000 DMs goes out at a
steady rate instead of as a storm of 429s; a 429 halves that method's rate (the other methods go
on), and each success brings it back a step towards its ceiling.

The budgets are per process: several processes delivering at once share Slack's limit, and the 429s
they meet slow each of them down.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

SLOWEST = 1 / 16  # after 429s, a method's rate falls at most to this share of its ceiling
RECOVERY = 1 / 20  # each success gives back this share of the ceiling
# Slack's bucket fills as fast as ours, but a call reaches it a little after we spend for it, and
# calls from several senders do not always arrive in the order they went: spending ours down to
# zero would leave Slack's at zero too, and every call that arrives early would get 429 (and a
# second's pause). A quarter of the burst is kept in hand for that; it costs a few calls' time once.
HELD_BACK = 1 / 4


@dataclass
class Budget:
    """A token bucket for one method: `per_minute` calls a minute at most, `burst` at once (of which
    a quarter is held back)."""

    per_minute: float
    burst: float
    rate: float = field(init=False)  # calls a second now: the ceiling, or less after a 429
    tokens: float = field(init=False)
    at: datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.rate = self.per_minute / 60
        self.tokens = self.burst

    def ready_at(self, now: datetime) -> datetime:
        """When the next call may go (now, when a token is there)."""
        with self._lock:
            self._refill(now)
            needed = min(1 + self.burst * HELD_BACK, self.burst)  # a burst of one is all there is
            if self.tokens >= needed:
                return now
            return now + timedelta(seconds=(needed - self.tokens) / self.rate)

    def spend(self, now: datetime) -> None:
        """A call went out."""
        with self._lock:
            self._refill(now)
            self.tokens -= 1

    def refund(self) -> None:
        """A token spent on an attempt that never called Slack (another process had the message)."""
        with self._lock:
            self.tokens = min(self.burst, self.tokens + 1)

    def slow_down(self, now: datetime) -> None:
        """Slack said 429: half the rate, and no burst until it has recovered."""
        with self._lock:
            self._refill(now)
            self.rate = max(self.rate / 2, self.per_minute / 60 * SLOWEST)
            self.tokens = min(self.tokens, 0.0)

    def recover(self) -> None:
        """A call went through: a step back towards the ceiling."""
        with self._lock:
            self.rate = min(self.per_minute / 60, self.rate + self.per_minute / 60 * RECOVERY)

    def _refill(self, now: datetime) -> None:
        if self.at is not None and now > self.at:
            self.tokens = min(self.burst, self.tokens + (now - self.at).total_seconds() * self.rate)
        if self.at is None or now > self.at:
            self.at = now


# Slack's documented minimum for each tier (calls a minute), with a burst of a few seconds' worth.
TIER_2, TIER_3, TIER_4 = 20, 50, 100
POST_MESSAGE_PER_MINUTE = 300  # "several hundred a minute": Slack does not publish the number


def slack_budgets() -> dict[str, Budget]:
    """A fresh budget for each method the worker calls, at Slack's documented rates."""
    return {
        "chat.postMessage": Budget(per_minute=POST_MESSAGE_PER_MINUTE, burst=20),
        "chat.update": Budget(per_minute=TIER_3, burst=10),
        "chat.delete": Budget(per_minute=TIER_3, burst=10),
        "chat.postEphemeral": Budget(per_minute=TIER_4, burst=20),
        "views.publish": Budget(per_minute=TIER_4, burst=20),
        "reactions.add": Budget(per_minute=TIER_3, burst=10),
        "pins.add": Budget(per_minute=TIER_2, burst=5),
        "conversations.join": Budget(per_minute=TIER_3, burst=10),
    }
