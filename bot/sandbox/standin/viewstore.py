"""Modals and Home tabs the app has opened or published on the stand-in."""

from __future__ import annotations

import copy
import threading
from typing import Any


class ViewStore:
    """Views by id, plus each user's Home tab; thread-safe, always hands out copies."""

    def __init__(self) -> None:
        self._views: dict[str, dict[str, Any]] = {}
        self._home: dict[str, str] = {}
        self._lock = threading.Lock()

    def save(self, view: dict[str, Any]) -> dict[str, Any]:
        """Store a view (keyed by its `id`) and return a copy."""
        with self._lock:
            self._views[view["id"]] = copy.deepcopy(view)
        return copy.deepcopy(view)

    def get(self, view_id: str) -> dict[str, Any] | None:
        """The stored view with this id, if any."""
        with self._lock:
            return copy.deepcopy(self._views.get(view_id))

    def by_external_id(self, external_id: str) -> dict[str, Any] | None:
        """The stored view with this external_id, if any."""
        with self._lock:
            found = next((v for v in self._views.values() if v.get("external_id") == external_id), None)
            return copy.deepcopy(found)

    def home(self, user_id: str) -> dict[str, Any] | None:
        """The Home tab last published for this user, if any."""
        with self._lock:
            view_id = self._home.get(user_id)
            return copy.deepcopy(self._views.get(view_id)) if view_id else None

    def publish_home(self, user_id: str, view: dict[str, Any]) -> dict[str, Any]:
        """Store a user's Home tab and return a copy."""
        with self._lock:
            self._home[user_id] = view["id"]
            self._views[view["id"]] = copy.deepcopy(view)
        return copy.deepcopy(view)

    def all(self) -> list[dict[str, Any]]:
        """Every stored view, oldest first."""
        with self._lock:
            return copy.deepcopy(list(self._views.values()))
