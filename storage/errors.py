"""What the storage layer raises that callers answer to (the Slack adapter turns these into answers)."""

from __future__ import annotations


class DatabaseBusy(Exception):
    """Another writer held the database longer than this answer can wait; nothing was done."""


class WriteInReadUnit(Exception):
    """A unit of work declared as a read tried to write (a bug: declare it as a write)."""
