"""same page, same link: http and https, a default port and the host's case no longer tell two
shared links apart (resources.url_normalized recomputed)

Where two resources of one community turn out to be the same page, both stay and one keeps its old
value (the unique index allows no other way); a new share of that page is refused as a duplicate.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

resources = sa.table(
    "resources",
    sa.column("id", sa.Integer),
    sa.column("community_id", sa.Integer),
    sa.column("url", sa.Text),
    sa.column("url_normalized", sa.Text),
)


def upgrade() -> None:
    _recompute(same_page)


def downgrade() -> None:
    _recompute(as_before)


def _recompute(normalize: Callable[[str], str]) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(resources.c.id, resources.c.community_id, resources.c.url, resources.c.url_normalized)
        .where(resources.c.url.is_not(None))
        .order_by(resources.c.id)
    ).all()
    taken = {(community_id, normalized) for _, community_id, _, normalized in rows}
    for resource_id, community_id, url, old in rows:
        try:
            new = normalize(url)
        except ValueError:
            continue
        if new == old or (community_id, new) in taken:
            continue
        connection.execute(sa.update(resources).where(resources.c.id == resource_id).values(url_normalized=new))
        taken.discard((community_id, old))
        taken.add((community_id, new))


def _query(parts: SplitResult) -> str:
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    return urlencode([(k, v) for k, v in pairs if not k.lower().startswith("utm_")])


def same_page(url: str) -> str:
    """bot.knowledge.resources.normalize_url as of this revision (frozen here)."""
    parts = urlsplit(url.strip())
    port = parts.port
    host = (parts.hostname or "") + (f":{port}" if port not in (None, 80, 443) else "")
    return urlunsplit(("https", host, parts.path.rstrip("/"), _query(parts), ""))


def as_before(url: str) -> str:
    """The normalisation before this revision: scheme and host lowercased, port kept."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), _query(parts), ""))
