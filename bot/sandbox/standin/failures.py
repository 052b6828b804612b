"""Scripted failures: make the next calls to a method answer 429, 5xx, an error, garbage, or slowly.

A failure may also `land`: the call takes effect (the message is posted) and then the answer
is the failure, as when Slack posts and its gateway answers 500, or posts and answers garbage.
A delay without a failure is a slow success: the call takes effect only after the delay.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

ANY_METHOD = "*"
_DEFAULT_ERRORS = {
    429: "ratelimited",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "request_timeout",
}


@dataclass
class Failure:
    """One scripted failure, used up after `times` calls."""

    method: str
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    times: int = 1
    delay: float = 0.0
    lands: bool = False
    raw_body: str | None = None  # answered instead of JSON, such as an HTML error page

    @property
    def fails(self) -> bool:
        """True if the call must be refused (otherwise it is only delayed)."""
        return self.status != 200 or self.error is not None or self.raw_body is not None

    def body(self) -> dict[str, Any]:
        """The JSON body the failure answers with."""
        if self.status == 429:
            return {"ok": False, "error": "ratelimited"}
        return {"ok": False, "error": self.error or _DEFAULT_ERRORS.get(self.status, "fatal_error")}

    def headers(self) -> dict[str, str]:
        """Extra response headers (Retry-After for 429)."""
        if self.status == 429:
            return {"Retry-After": str(self.retry_after if self.retry_after is not None else 1)}
        return {}


class FailureScript:
    """A thread-safe queue of scripted failures, matched by method name or "*"."""

    def __init__(self) -> None:
        self._pending: list[Failure] = []
        self._lock = threading.Lock()

    def add(self, failure: Failure) -> None:
        """Queue a failure."""
        if failure.times < 1:
            raise ValueError("times must be at least 1")
        if not failure.fails and failure.delay <= 0:
            raise ValueError("a scripted failure needs a non-200 status, an error or a delay")
        with self._lock:
            self._pending.append(failure)

    def take(self, method: str) -> Failure | None:
        """The first pending failure for this method, using up one of its `times`."""
        with self._lock:
            for failure in self._pending:
                if failure.method in (method, ANY_METHOD):
                    failure.times -= 1
                    if failure.times == 0:
                        self._pending.remove(failure)
                    return failure
        return None

    def clear(self) -> None:
        """Forget every pending failure."""
        with self._lock:
            self._pending.clear()
