"""Who is a copbot admin: Slack workspace admins/owners and `COPBOT_ADMINS`."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


class AdminDirectory:
    """Answers "is this user an admin?", caching `users.info` so the ack path stays fast."""

    def __init__(
        self,
        *,
        client: WebClient,
        configured: frozenset[str],
        ttl_seconds: float = 600.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._configured = configured
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, bool]] = {}
        self._lock = threading.Lock()

    def is_admin(self, user_id: str) -> bool:
        """True for `COPBOT_ADMINS` and Slack admins/owners."""
        if user_id in self._configured:
            return True
        now = self._monotonic()
        with self._lock:
            cached = self._cache.get(user_id)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        answer = self._ask_slack(user_id)
        if answer is not None:
            with self._lock:
                self._cache[user_id] = (now, answer)
        return bool(answer)

    def _ask_slack(self, user_id: str) -> bool | None:
        try:
            user = self._client.users_info(user=user_id)["user"]
        except (SlackApiError, TimeoutError, OSError):
            log.warning("users.info failed for %s; treating as not an admin this time", user_id, exc_info=True)
            return None
        return bool(user.get("is_admin") or user.get("is_owner"))
