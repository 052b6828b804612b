"""Slack's rate limits, as the stand-in enforces them when asked: a token bucket per method, and a
429 with `Retry-After` (whole seconds, as Slack sends it) for a call that finds the bucket empty.

Slack limits each method per app and workspace ("tiers": Tier 2 is 20+ calls a minute, Tier 3 50+,
Tier 4 100+, with bursts), and chat.postMessage specially: about one message a second per channel,
and a workspace-wide limit it does not publish. Off unless a test or benchmark sets a limit.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Bucket:
    """`per_second` calls a second on average, `burst` at once."""

    per_second: float
    burst: float
    tokens: float = field(init=False)
    at: float | None = None

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def take(self, now: float) -> float:
        """Take one call's token: 0 when there was one, else the seconds until there will be."""
        if self.at is not None:
            self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_second


class RateLimits:
    """The limits set per method; thread-safe, counting what they refused."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()
        self.refused: dict[str, int] = {}

    def limit(self, method: str, *, per_minute: float, burst: float | None = None) -> None:
        """Allow `method` `per_minute` calls a minute, `burst` at once (a second's worth by default)."""
        with self._lock:
            self._buckets[method] = Bucket(per_minute / 60, burst if burst is not None else max(per_minute / 60, 1))

    def retry_after(self, method: str) -> int | None:
        """None when the call may go through; else the whole seconds Slack would say to wait."""
        with self._lock:
            bucket = self._buckets.get(method)
            if bucket is None:
                return None
            wait = bucket.take(self._clock())
            if wait == 0:
                return None
            self.refused[method] = self.refused.get(method, 0) + 1
            return max(1, math.ceil(wait))
