"""Full-text search over resources: SQLite FTS5 or PostgreSQL tsvector, behind one function."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

from storage.models import Resource, ResourceTag

WORD = re.compile(r"[^\W_]+")


def fold(value: str) -> str:
    """Lowercase with accents removed: `Café` → `cafe`."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def search_words(value: str) -> list[str]:
    """The folded words of a query or a document, as both indexes tokenize them."""
    return WORD.findall(fold(value))


def searchable_text(*, title: str, note: str, tags: list[str]) -> str:
    """What the index stores for a resource."""
    return " ".join(search_words(" ".join([title, note, *tags])))


@dataclass(frozen=True)
class SearchPage:
    """One page of results and how many there are in all."""

    resources: list[Resource]
    total: int


def search_resources(
    session: Session, *, community_id: int, words: list[str], tags: list[str], offset: int = 0, limit: int = 10
) -> SearchPage:
    """Live resources of a community matching every word (prefix, any accent) and every tag; pinned first, newest next."""
    query: Select[Any] = select(Resource.id).where(Resource.community_id == community_id, Resource.retired_at.is_(None))
    for tag in tags:
        query = query.where(Resource.id.in_(select(ResourceTag.resource_id).where(ResourceTag.tag == tag)))
    terms = [term for word in words for term in search_words(word)]
    if terms:
        query = _match(session, query, terms)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = list(
        session.scalars(
            query.order_by(Resource.pinned.desc(), Resource.shared_at.desc(), Resource.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )
    by_id = {resource.id: resource for resource in session.scalars(select(Resource).where(Resource.id.in_(ids)))}
    return SearchPage(resources=[by_id[i] for i in ids], total=int(total))


def _match(session: Session, query: Select[Any], terms: list[str]) -> Select[Any]:
    if session.get_bind().dialect.name == "sqlite":
        expression = " ".join(f'"{term}"*' for term in terms)
        matching = (
            text("SELECT rowid FROM resources_fts WHERE resources_fts MATCH :expression")
            .bindparams(expression=expression)
            .columns(rowid=Resource.id.type)
        )
        return query.where(Resource.id.in_(select(matching.subquery().c.rowid)))
    tsquery = " & ".join(f"{term}:*" for term in terms)
    return query.where(
        func.to_tsvector(text("'simple'"), Resource.search_text).op("@@")(func.to_tsquery(text("'simple'"), tsquery))
    )
