"""Building the weekly health digests of 100 communities (20,000 members, 1.8 million activity rows).

On SQLite and PostgreSQL: the wall-clock time of `build_community_digest` for every community in
one session (median and best of three runs), and the SQL statements each community costs. The
digest promises a fixed number of queries per community whatever its size, so a community of 5
members and one of 5,000 are built too and their statement counts compared.

The data: members joined over six months (a tenth founding, some left since) and post on the days
they were members, 90 days each on average; recent newcomers have welcome alerts, most of them
claimed; each community has resources, questions, prompts and check-ins in and around the period,
and one in four had a review survey round close during it (two statements more for its digest).
Seeding is timed apart from the measurement.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, event, insert, select, text
from sqlalchemy.orm import Session

from bot.rhythms.digest import build_community_digest
from bot.rhythms.figures import Period
from bot.rhythms.survey_results import CYCLE_KEYS
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade
from storage.models import (
    ActivityCount,
    CheckIn,
    Community,
    DiscussionPrompt,
    Membership,
    Question,
    Resource,
    Role,
    RoleAssignment,
    SurveyParticipation,
    SurveyRound,
    WelcomeAlert,
)
from storage.search import searchable_text

COMMUNITIES = 100
MEMBERS = 20_000
ACTIVITY_ROWS = 1_800_000
REPEATS = 3
TARGET_SECONDS = 2.0
SMALL, BIG = 5, 5_000  # members of the two extra communities whose statement counts are compared
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

PERIOD_END = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC
PERIOD = Period(PERIOD_END - timedelta(days=7), PERIOD_END)
ZONE = ZoneInfo("Europe/Amsterdam")
CREATED_AT = PERIOD_END - timedelta(days=200)  # every community is older than the joins
JOIN_SPREAD = timedelta(days=182)  # members joined over the last six months
SURVEY_EVERY = 4  # one community in four had a review survey close during the period
CHUNK = 20_000  # rows per executemany
WORDS = "python testing packaging data pipelines café design review security cloud metrics docs onboarding".split()


@dataclass
class Seeded:
    """What was seeded: the measured communities and the two compared ones."""

    measured: list[int] = field(default_factory=list)
    small: int = 0
    big: int = 0
    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


# Parents before children, for the foreign keys.
INSERT_ORDER: list[type[Any]] = [
    Community,
    RoleAssignment,
    Membership,
    WelcomeAlert,
    ActivityCount,
    Resource,
    Question,
    DiscussionPrompt,
    CheckIn,
    SurveyRound,
    SurveyParticipation,
]


class Loader:
    """Buffers rows per model and inserts them with executemany, CHUNK rows at a time (parents first)."""

    def __init__(self, connection: Connection, rows: Counter[str]) -> None:
        self.connection = connection
        self.buffers: dict[type[Any], list[dict[str, Any]]] = {model: [] for model in INSERT_ORDER}
        self.rows = rows

    def add(self, model: type[Any], row: dict[str, Any]) -> None:
        buffer = self.buffers[model]
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self.flush(model)

    def flush(self, model: type[Any] | None = None) -> None:
        """Insert what is buffered for `model` and for every table before it (all tables when None)."""
        last = INSERT_ORDER.index(model) if model is not None else len(INSERT_ORDER) - 1
        for parent in INSERT_ORDER[: last + 1]:
            buffer = self.buffers[parent]
            if buffer:
                self.connection.execute(insert(parent), buffer)
                self.rows[parent.__tablename__] += len(buffer)
                self.buffers[parent] = []


class Seeder:
    """Generates one community at a time with `random.Random(seed)`; ids are given here, not by the database."""

    def __init__(self, loader: Loader, seed: int = 8) -> None:
        self.loader = loader
        self.rng = random.Random(seed)
        self.community_id = 0
        self.membership_id = 0
        self.round_id = 0
        self.person = 0

    def community(self, members: int, activity_rows: int, *, survey: bool) -> int:
        """One community with `members` memberships and `activity_rows` activity rows between them."""
        rng, add = self.rng, self.loader.add
        self.community_id += 1
        cid = self.community_id
        add(
            Community,
            {
                "id": cid,
                "name": f"cop-{cid:03d}",
                "purpose": "bench",
                "description": "",
                "links": "",
                "welcome_text": "",
                "channel_id": f"C{cid:06d}",
                "created_by": "U_ADMIN",
                "created_at": CREATED_AT,
            },
        )
        self.loader.flush(Community)
        people = [self._person() for _ in range(members)]
        coordinator = people[0]
        add(
            RoleAssignment,
            {
                "community_id": cid,
                "user_id": coordinator,
                "role": Role.COORDINATOR.value,
                "assigned_by": "U_ADMIN",
                "assigned_at": CREATED_AT,
            },
        )
        stints = [
            self._membership(cid, user, founding=index == 0 or rng.random() < 0.1, coordinator=coordinator)
            for index, user in enumerate(people)
        ]
        self._activity(cid, people, stints, activity_rows)
        self._resources(cid, people)
        self._questions(cid, people)
        self._prompts(cid, coordinator)
        self._checkins(cid, people)
        if survey:
            self._survey(cid, people)
        return cid

    def _person(self) -> str:
        self.person += 1
        return f"U{self.person:07d}"

    def _membership(self, cid: int, user: str, *, founding: bool, coordinator: str) -> tuple[datetime, datetime | None]:
        """One membership (and its welcome, for a recent newcomer); returns when it began and ended."""
        rng = self.rng
        self.membership_id += 1
        if founding:
            joined_at = CREATED_AT + timedelta(minutes=rng.randint(0, 60))
        else:
            joined_at = PERIOD_END - JOIN_SPREAD * rng.random()
        left_at = None
        if user != coordinator and rng.random() < 0.08:
            left_at = joined_at + (PERIOD_END - joined_at) * rng.random()
        self.loader.add(
            Membership,
            {
                "id": self.membership_id,
                "community_id": cid,
                "user_id": user,
                "joined_at": joined_at,
                "left_at": left_at,
                "source": "founding" if founding else "command",
            },
        )
        if not founding and joined_at >= PERIOD_END - timedelta(days=14):
            claimed = rng.random() < 0.7
            self.loader.add(
                WelcomeAlert,
                {
                    "membership_id": self.membership_id,
                    "community_id": cid,
                    "newcomer_id": user,
                    "created_at": joined_at,
                    "claimed_by": coordinator if claimed else None,
                    "claimed_at": joined_at + timedelta(minutes=rng.randint(5, 30 * 60)) if claimed else None,
                },
            )
        return joined_at, left_at

    def _activity(self, cid: int, people: list[str], stints: list[tuple[datetime, datetime | None]], rows: int) -> None:
        """`rows` activity rows in all, each member posting on days they were a member, in proportion.

        Members joined over six months, so at 90 rows a member nearly every member posts on most of
        their days; if the rows cannot fit in the members' days, they post on any day since creation.
        """
        rng, add = self.rng, self.loader.add
        window = max((PERIOD_END.date() - CREATED_AT.date()).days, -(-rows // len(people)))
        first_day = PERIOD_END.date() - timedelta(days=window)
        days = [first_day + timedelta(days=offset) for offset in range(window)]
        spans = [
            (
                max(0, (joined_at.date() - first_day).days),
                min(window, (left_at.date() - first_day).days + 1 if left_at else window),
            )
            for joined_at, left_at in stints
        ]
        if sum(high - low for low, high in spans) < rows:
            spans = [(0, window)] * len(people)
        available = [high - low for low, high in spans]
        total = sum(available)
        quotas = [rows * size // total for size in available]
        short = rows - sum(quotas)
        for index in rng.sample(range(len(people)), len(people)):
            if short == 0:
                break
            if quotas[index] < available[index]:
                quotas[index] += 1
                short -= 1
        for user, (low, high), quota in zip(people, spans, quotas, strict=True):
            for offset in rng.sample(range(low, high), quota):
                add(
                    ActivityCount,
                    {"community_id": cid, "user_id": user, "day": days[offset], "messages": rng.randint(1, 12)},
                )

    def _resources(self, cid: int, people: list[str]) -> None:
        rng = self.rng
        for index in range(rng.randint(20, 40)):
            title = " ".join(rng.sample(WORDS, 3))
            note = " ".join(rng.sample(WORDS, 5))
            shared_at = PERIOD_END - JOIN_SPREAD * rng.random() ** 2  # more of them lately
            reviewed = rng.random() < 0.7
            self.loader.add(
                Resource,
                {
                    "community_id": cid,
                    "kind": "article",
                    "url": f"https://example.org/{cid}/{index}",
                    "url_normalized": f"https://example.org/{cid}/{index}",
                    "title": title,
                    "note": note,
                    "shared_by": rng.choice(people),
                    "shared_at": shared_at,
                    "pinned": False,
                    "reviewed_by": people[0] if reviewed else None,
                    "reviewed_at": shared_at + timedelta(hours=rng.randint(1, 72)) if reviewed else None,
                    "search_text": searchable_text(title=title, note=note, tags=[]),
                },
            )

    def _questions(self, cid: int, people: list[str]) -> None:
        rng = self.rng
        for _ in range(rng.randint(10, 30)):
            asked_at = PERIOD_END - timedelta(days=56) * rng.random()
            replied = rng.random() < 0.7
            first_reply_at = asked_at + timedelta(minutes=rng.randint(2, 3000)) if replied else None
            answered_at = None
            if first_reply_at is not None and rng.random() < 0.6:
                answered_at = first_reply_at + timedelta(minutes=rng.randint(0, 2000))
            self.loader.add(
                Question,
                {
                    "community_id": cid,
                    "asked_by": rng.choice(people),
                    "text": " ".join(rng.sample(WORDS, 6)) + "?",
                    "asked_at": asked_at,
                    "channel_id": f"C{cid:06d}",
                    "message_ts": f"{asked_at.timestamp():.6f}",
                    "reply_count": rng.randint(1, 8) if replied else 0,
                    "first_reply_at": first_reply_at,
                    "answered_at": answered_at,
                    "answered_by": rng.choice(people) if answered_at else None,
                },
            )

    def _prompts(self, cid: int, coordinator: str) -> None:
        rng = self.rng
        for _ in range(rng.randint(1, 3)):
            posted_at = PERIOD.start + PERIOD.length * rng.random()
            self.loader.add(
                DiscussionPrompt,
                {
                    "community_id": cid,
                    "text": "What did you learn this week about " + rng.choice(WORDS) + "?",
                    "queued_by": coordinator,
                    "queued_at": posted_at - timedelta(days=3),
                    "posted_at": posted_at,
                    "channel_id": f"C{cid:06d}",
                    "message_ts": f"{posted_at.timestamp():.6f}",
                    "reply_count": rng.randint(0, 12),
                },
            )

    def _checkins(self, cid: int, people: list[str]) -> None:
        rng = self.rng
        sent_at = PERIOD.start + timedelta(days=1, hours=1)
        for user in rng.sample(people, min(len(people), 20)):
            answer = rng.choice(["good", "good", "good", "help", "snooze", None])
            self.loader.add(
                CheckIn,
                {
                    "community_id": cid,
                    "user_id": user,
                    "period": "2026-W09",
                    "sent_at": sent_at,
                    "answer": answer,
                    "answered_at": sent_at + timedelta(hours=rng.randint(1, 48)) if answer else None,
                },
            )

    def _survey(self, cid: int, people: list[str]) -> None:
        """A round that closed during the period, after one that closed a quarter before."""
        rng = self.rng
        for closes_at, label in (
            (PERIOD.start - timedelta(days=90), "2025-Q4"),
            (PERIOD.end - timedelta(days=2), "2026-Q1"),
        ):
            self.round_id += 1
            invited = people[: min(len(people), 60)]
            answers = len(invited) // 3
            tallies = {key: [0] * 5 for key in CYCLE_KEYS}
            for key in CYCLE_KEYS:
                for _ in range(answers):
                    tallies[key][rng.randint(0, 4)] += 1
            self.loader.add(
                SurveyRound,
                {
                    "id": self.round_id,
                    "community_id": cid,
                    "period": label,
                    "opened_at": closes_at - timedelta(days=14),
                    "closes_at": closes_at,
                    "opened_by": None,
                    "answers": answers,
                    "tallies": tallies,
                    "stories": ["It helped me ship " + rng.choice(WORDS)],
                },
            )
            self.loader.flush(SurveyRound)
            for index, user in enumerate(invited):
                self.loader.add(
                    SurveyParticipation, {"round_id": self.round_id, "user_id": user, "answered": index < answers}
                )


def seed(engine: Engine, communities: int, members: int, activity_rows: int) -> Seeded:
    """The measured communities (members and activity rows spread evenly) and the small and big ones."""
    seeded = Seeded()
    started = time.perf_counter()
    per_member = activity_rows / members
    with engine.begin() as connection:
        loader = Loader(connection, seeded.rows)
        seeder = Seeder(loader)
        for index in range(communities):
            size = members // communities + (index < members % communities)
            rows = activity_rows // communities + (index < activity_rows % communities)
            seeded.measured.append(seeder.community(size, rows, survey=index % SURVEY_EVERY == 0))
        seeded.small = seeder.community(SMALL, round(SMALL * per_member), survey=False)
        seeded.big = seeder.community(BIG, round(BIG * per_member), survey=False)
        loader.flush()
        if engine.dialect.name == "postgresql":
            for table in ("communities", "memberships", "survey_rounds"):
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
    # Settle what a database would have settled by the time a digest runs, so no background write
    # competes with the measurement: on PostgreSQL statistics, the visibility map and a checkpoint
    # (as autovacuum and the checkpointer would); on SQLite the write-ahead log copied into the file.
    # copbot never runs ANALYZE on SQLite, so neither does this.
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
            connection.execute(text("CHECKPOINT"))
    else:
        raw = engine.raw_connection()  # outside the BEGIN IMMEDIATE that storage.db adds to every transaction
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    seeded.seconds = time.perf_counter() - started
    return seeded


class StatementCounter:
    """Counts the SQL statements an engine sends (an executemany counts once)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args: Any) -> None:
        self.count += 1


@dataclass(frozen=True)
class Run:
    """One build of every measured community's digest."""

    seconds: float
    statements: list[int]


def build_all(engine: Engine, community_ids: list[int], counter: StatementCounter) -> Run:
    """Build each community's digest in one session, timing the loop; nothing is committed."""
    with make_session_factory(engine)() as session:
        communities = list(session.scalars(select(Community).where(Community.id.in_(community_ids))))
        communities.sort(key=lambda community: community_ids.index(community.id))
        statements = []
        started = time.perf_counter()
        for community in communities:
            before = counter.count
            build(session, community)
            statements.append(counter.count - before)
        seconds = time.perf_counter() - started
        session.rollback()
    return Run(seconds, statements)


def build(session: Session, community: Community) -> None:
    """One digest: its figures computed and its message built."""
    build_community_digest(session, community, PERIOD, zone=ZONE, workspace_url=None)


@contextmanager
def databases() -> Iterator[list[tuple[str, str]]]:
    """A fresh SQLite file and, when the server answers, a fresh PostgreSQL schema (dropped afterwards)."""
    with tempfile.TemporaryDirectory() as tmp:
        found = [("sqlite", f"sqlite:///{tmp}/digest.db")]
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(PG_URL)
        try:
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            found.append(("postgres", f"{PG_URL}?options=-csearch_path%3D{schema}"))
        except Exception as exc:  # the benchmark still runs on SQLite alone
            print(f"(PostgreSQL skipped: {exc.__class__.__name__})")
        try:
            yield found
        finally:
            if len(found) > 1:
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def describe(name: str, communities: int, members: int, activity_rows: int, runs: list[Run]) -> str:
    seconds = [run.seconds for run in runs]
    statements = [count for run in runs for count in run.statements]
    verdict = "" if statistics.median(seconds) < TARGET_SECONDS else f"   OVER the {TARGET_SECONDS:g} s target"
    return (
        f"digest  {name:<8} {communities} communities, {members:,} members, {activity_rows:,} activity rows: "
        f"median {statistics.median(seconds):.2f} s (best {min(seconds):.2f} s), "
        f"{min(statements)}–{max(statements)} statements per community "
        f"(mostly {statistics.mode(statements)}){verdict}"
    )


def run(communities: int = COMMUNITIES, members: int = MEMBERS, activity_rows: int = ACTIVITY_ROWS) -> None:
    """Seed each database, then build every digest REPEATS times and count the statements."""
    with databases() as targets:
        for name, database_url in targets:
            engine = make_engine(database_url)
            try:
                upgrade(engine)
                seeded = seed(engine, communities, members, activity_rows)
                print(
                    f"digest  {name:<8} seeded {sum(seeded.rows.values()):,} rows in {seeded.seconds:.1f} s, the "
                    f"{SMALL:,}- and {BIG:,}-member communities included ({seeded.rows['activity_counts']:,} "
                    f"activity rows, {seeded.rows['memberships']:,} memberships)"
                )
                counter = StatementCounter(engine)
                runs = [build_all(engine, seeded.measured, counter) for _ in range(REPEATS)]
                print(describe(name, communities, members, activity_rows, runs))
                small, big = (build_all(engine, [cid], counter) for cid in (seeded.small, seeded.big))
                same = "equal" if small.statements == big.statements else "NOT EQUAL"
                print(
                    f"digest  {name:<8} statements: {small.statements[0]} for {SMALL:,} members, "
                    f"{big.statements[0]} for {BIG:,} members ({same}); "
                    f"built in {small.seconds * 1000:.0f} ms and {big.seconds * 1000:.0f} ms"
                )
            finally:
                engine.dispose()
