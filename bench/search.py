"""`/cop resources` with 50,000 resources in one community, on SQLite and PostgreSQL, against bare Bolt."""

from __future__ import annotations

import random
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, insert, text

from bench.latency import SECRET, bare_bolt, command_sender, describe, measure
from bot.app import create_app
from bot.sandbox.standin import SignedSender, SlackStandin
from bot.settings import Settings
from bot.web import start_http_server
from storage.migrate import upgrade
from storage.models import Community, Membership, Resource, ResourceTag, Role, RoleAssignment
from storage.search import searchable_text

RESOURCES = 50_000
WORDS = "python testing packaging data pipelines café design review security cloud metrics docs onboarding mentoring".split()
QUERIES = ("testing", "café pipelines", "#security", "doc #review", "nothing-matches-this")
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def seed(database_url: str, count: int) -> None:
    """One community with `count` resources of random words and tags."""
    engine = create_engine(database_url)
    upgrade(engine)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rng = random.Random(7)
    with engine.begin() as connection:
        community_id = connection.execute(
            insert(Community)
            .values(
                name="big",
                purpose="bench",
                description="",
                links="",
                welcome_text="",
                channel_id="C_GENERAL",
                created_by="U_ADMIN",
                created_at=start,
            )
            .returning(Community.id)
        ).scalar_one()
        connection.execute(
            insert(RoleAssignment).values(
                community_id=community_id,
                user_id="U_ADMIN",
                role=Role.COORDINATOR,
                assigned_by="U_ADMIN",
                assigned_at=start,
            )
        )
        connection.execute(
            insert(Membership).values(community_id=community_id, user_id="U_ALICE", joined_at=start, source="bench")
        )
        rows, tags = [], []
        for index in range(count):
            title = " ".join(rng.sample(WORDS, 3)) + f" {index}"
            note = " ".join(rng.sample(WORDS, 5))
            chosen = rng.sample(["security", "review", "howto", "ux"], 1)
            rows.append(
                {
                    "id": index + 1,
                    "community_id": community_id,
                    "kind": "article",
                    "url": f"https://example.org/{index}",
                    "url_normalized": f"https://example.org/{index}",
                    "title": title,
                    "note": note,
                    "shared_by": "U_BOB",
                    "shared_at": start + timedelta(minutes=index),
                    "pinned": index % 997 == 0,
                    "search_text": searchable_text(title=title, note=note, tags=chosen),
                }
            )
            tags.extend({"resource_id": index + 1, "tag": tag} for tag in chosen)
        connection.execute(insert(Resource), rows)
        connection.execute(insert(ResourceTag), tags)
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT setval(pg_get_serial_sequence('resources', 'id'), :n)"), {"n": count})
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("ANALYZE"))
            connection.commit()
    engine.dispose()


@contextmanager
def copbot_on(database_url: str, standin: SlackStandin) -> Iterator[str]:
    """copbot on the given database, served over HTTP."""
    settings = Settings(
        _env_file=None,
        slack_bot_token=standin.token,
        slack_signing_secret=SECRET,
        slack_api_url=standin.url,
        database_url=database_url,
        scheduler=False,
    )  # type: ignore[call-arg]
    copbot = create_app(settings)
    server = start_http_server(copbot)
    try:
        yield f"{server.url}/slack/events"
    finally:
        server.stop()
        copbot.stop()


@contextmanager
def databases() -> Iterator[list[tuple[str, str]]]:
    """A fresh SQLite file and, when the server answers, a fresh PostgreSQL schema."""
    with tempfile.TemporaryDirectory() as tmp:
        found = [("SQLite", f"sqlite:///{tmp}/bench.db")]
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_URL)
        try:
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            found.append(("PostgreSQL", f"{PG_URL}?options=-csearch_path%3D{schema}"))
        except Exception as exc:  # benchmark still runs on SQLite alone
            print(f"(PostgreSQL skipped: {exc.__class__.__name__})")
        try:
            yield found
        finally:
            if len(found) > 1:
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def run(requests: int, count: int = RESOURCES) -> None:
    """Seed, then time each query through copbot and the bare Bolt baseline."""
    with SlackStandin() as standin, databases() as targets:
        with bare_bolt(standin) as url:
            baseline = measure(command_sender(SignedSender(url=url, secret=SECRET), "resources big testing"), requests)
            print(describe("bare Bolt: /cop (no work)", baseline))
        for name, database_url in targets:
            seed(database_url, count)
            with copbot_on(database_url, standin) as url:
                slack = SignedSender(url=url, secret=SECRET)
                for query in QUERIES:
                    timings = measure(command_sender(slack, f"resources big {query}"), requests)
                    print(describe(f"{name}, {count:,} resources: {query}", timings))
