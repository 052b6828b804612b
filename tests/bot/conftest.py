"""Domain tests: plain functions against a fresh SQLite database, no Slack."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import OutboxMessage


@pytest.fixture
def db(sqlite_sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One session on a fresh, migrated SQLite database; the test commits when it wants to."""
    with sqlite_sessions() as session:
        yield session


@pytest.fixture
def db_either(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One session on a fresh, migrated database: SQLite, then PostgreSQL (where their SQL differs)."""
    with sessions() as session:
        yield session


@dataclass(frozen=True)
class Queued:
    """A Web API call waiting in the outbox, as a test reads it."""

    method: str
    channel: str
    kind: str
    text: str
    blocks: str


def queued(session: Session, *, kind: str | None = None) -> list[Queued]:
    """What the outbox holds, oldest first (optionally of one kind)."""
    session.flush()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return [
        Queued(
            method=row.method,
            channel=row.channel,
            kind=row.kind,
            text=str(row.payload.get("text", "")),
            blocks=str(row.payload.get("blocks", "")),
        )
        for row in session.scalars(query)
    ]


class FakeAdmins:
    """Workspace admins by id, counting how often it was asked (it may cost a Slack call)."""

    def __init__(self, *admins: str) -> None:
        self.admins = set(admins)
        self.asked: list[str] = []

    def is_admin(self, user_id: str) -> bool:
        self.asked.append(user_id)
        return user_id in self.admins
