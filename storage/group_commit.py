"""Group commit: many small writes from many threads, one transaction for all that arrived together.

Each caller hands in an item and returns once the transaction holding it has committed, so an
answer sent after `submit` returns is durable. Whoever finds no commit under way leads: it takes
every item queued so far and commits them together; the others wait (woken, never polling) and
find theirs done, or lead the next batch. A lone item is committed at once; under load, batches
grow by themselves while a commit is under way. No timer, no extra thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from storage.db import current_deadline, deadline_at
from storage.errors import DatabaseBusy

T = TypeVar("T")
MAX_BATCH = 500


@dataclass
class _Ticket(Generic[T]):
    item: T
    deadline: float | None  # when its caller must answer (storage.db.answer_within), None: no hurry
    wake: threading.Event = field(default_factory=threading.Event)
    finished: bool = False
    error: BaseException | None = None


class GroupCommit(Generic[T]):
    """Commits items in batches with `commit(items)`, which writes them in one transaction.

    A batch waits for the write lock as long as its most patient item may; a caller whose own time
    runs out first gets DatabaseBusy (its item may still be committed: Slack's retry then finds it seen).
    """

    def __init__(self, commit: Callable[[list[T]], None], *, max_batch: int = MAX_BATCH) -> None:
        self._commit_items = commit
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Ticket[T]] = []
        self._leading = False

    def submit(self, item: T) -> None:
        """Return once `item` is committed; raise what its batch's transaction raised."""
        ticket = _Ticket(item, deadline=current_deadline())
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
                if not ticket.wake.wait(_seconds_left(ticket.deadline)):
                    self._give_up(ticket)
                continue
            try:
                self._commit(batch)
            finally:  # whatever escaped, the batch is over and the next one gets a leader
                self._hand_over(batch)
        if ticket.error is not None:
            raise ticket.error

    def _give_up(self, ticket: _Ticket[T]) -> None:
        """The caller's time ran out while others committed: it answers busy (unless just finished)."""
        with self._lock:
            if ticket.finished:
                return
            if ticket in self._queue:
                self._queue.remove(ticket)
                successor = self._queue[0] if self._queue and not self._leading else None
            else:
                successor = None  # in a batch being committed: that leader finishes it
        if successor is not None:
            successor.wake.set()
        raise DatabaseBusy("message counting is queued longer than the answer can wait")

    def _hand_over(self, batch: list[_Ticket[T]]) -> None:
        with self._lock:
            for ticket in batch:
                if not ticket.finished:  # something other than an error escaped the commit
                    ticket.finished, ticket.error = True, DatabaseBusy("the batch was interrupted")
            self._leading = False
            successor = self._queue[0] if self._queue else None
        for done in batch:
            done.wake.set()
        if successor is not None:
            successor.wake.set()  # it leads the next batch

    def _commit(self, batch: list[_Ticket[T]]) -> None:
        deadlines = [ticket.deadline for ticket in batch]
        patience = None if None in deadlines else max(d for d in deadlines if d is not None)
        with deadline_at(patience):
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
            self._commit_items(items)
        except Exception as exc:  # every caller of the batch learns it, and answers accordingly
            return exc
        return None


def _seconds_left(deadline: float | None) -> float | None:
    return None if deadline is None else max(deadline - time.monotonic(), 0.0)
