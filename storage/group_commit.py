"""Group commit: many small writes from many threads, one transaction for all that arrived together.

Each caller hands in an item and returns once the transaction holding it has committed, so an
answer sent after `submit` returns is durable. Whoever finds no commit under way leads: it takes
every item queued so far and commits them together; the others wait (woken, never polling) and
find theirs done, or lead the next batch. A lone item is committed at once; under load, batches
grow by themselves while a commit is under way. No timer, no extra thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from storage.errors import DatabaseBusy

T = TypeVar("T")
MAX_BATCH = 500


@dataclass
class _Ticket(Generic[T]):
    item: T
    wake: threading.Event = field(default_factory=threading.Event)
    finished: bool = False
    error: BaseException | None = None


class GroupCommit(Generic[T]):
    """Commits items in batches with `work(session, items)`, inside one write transaction per batch."""

    def __init__(
        self, sessions: sessionmaker[Session], work: Callable[[Session, list[T]], None], *, max_batch: int = MAX_BATCH
    ) -> None:
        self._sessions = sessions
        self._work = work
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Ticket[T]] = []
        self._leading = False

    def submit(self, item: T) -> None:
        """Return once `item` is committed; raise what its batch's transaction raised."""
        ticket = _Ticket(item)
        with self._lock:
            self._queue.append(ticket)
        while True:
            with self._lock:
                if ticket.finished:
                    break
                batch: list[_Ticket[T]] | None = None
                if self._leading:
                    ticket.wake.clear()
                else:
                    self._leading = True
                    batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
            if batch is None:
                ticket.wake.wait()
                continue
            self._commit(batch)
            with self._lock:
                self._leading = False
                successor = self._queue[0] if self._queue else None
            for done in batch:
                done.wake.set()
            if successor is not None:
                successor.wake.set()  # it leads the next batch
        if ticket.error is not None:
            raise ticket.error

    def _commit(self, batch: list[_Ticket[T]]) -> None:
        error = self._transaction([ticket.item for ticket in batch])
        if error is not None and len(batch) > 1 and not isinstance(error, DatabaseBusy):
            # One bad item must not fail the others: each alone, in its own transaction.
            errors = [self._transaction([ticket.item]) for ticket in batch]
        else:
            errors = [error] * len(batch)
        with self._lock:
            for ticket, its_error in zip(batch, errors, strict=True):
                ticket.finished, ticket.error = True, its_error

    def _transaction(self, items: list[T]) -> BaseException | None:
        try:
            with self._sessions() as session, session.begin():
                self._work(session, items)
        except Exception as exc:  # every caller of the batch learns it, and answers accordingly
            return exc
        return None
