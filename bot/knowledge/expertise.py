"""Expertise keywords people state about themselves (`/cop profile`, "Set my expertise")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.delivery.outbox import post_message
from bot.slack.markup import escape
from storage.db import chunks
from storage.models import Community, ExpertiseKeyword, Membership, Person
from storage.search import fold

MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 40


def parse_keywords(text: str) -> list[str]:
    """Comma- or newline-separated keywords, lowercased, de-duplicated, in the order given."""
    seen: list[str] = []
    for part in text.replace("\n", ",").split(","):
        keyword = " ".join(part.split()).lower()
        if keyword and keyword not in seen:
            seen.append(keyword)
    return seen


def keyword_problem(keywords: list[str]) -> str | None:
    """Why a keyword list is not acceptable, or None."""
    if len(keywords) > MAX_KEYWORDS:
        return f"Up to {MAX_KEYWORDS} keywords, please."
    too_long = [keyword for keyword in keywords if len(keyword) > MAX_KEYWORD_LENGTH]
    if too_long:
        return f"Keep each keyword under {MAX_KEYWORD_LENGTH} characters."
    return None


def set_expertise(session: Session, *, user_id: str, keywords: list[str], now: datetime) -> None:
    """Replace a person's keywords; a concurrent save by the same person is retried once, last one wins."""
    for attempt in range(2):
        try:
            with session.begin_nested():
                _replace_keywords(session, user_id=user_id, keywords=keywords, now=now)
            return
        except IntegrityError:
            if attempt:
                raise


def _replace_keywords(session: Session, *, user_id: str, keywords: list[str], now: datetime) -> None:
    person = session.get(Person, user_id)
    if person is None:
        session.add(Person(user_id=user_id, updated_at=now))
        session.flush()
    else:
        person.updated_at = now
    session.execute(delete(ExpertiseKeyword).where(ExpertiseKeyword.user_id == user_id))
    session.add_all(ExpertiseKeyword(user_id=user_id, keyword=keyword) for keyword in keywords)
    session.flush()


def expertise_of(session: Session, user_ids: list[str]) -> dict[str, list[str]]:
    """Keywords of each person, in the order they gave them."""
    result: dict[str, list[str]] = {user_id: [] for user_id in user_ids}
    for chunk in chunks(user_ids):
        for user_id, keyword in session.execute(
            select(ExpertiseKeyword.user_id, ExpertiseKeyword.keyword)
            .where(ExpertiseKeyword.user_id.in_(chunk))
            .order_by(ExpertiseKeyword.id)
        ):
            result[user_id].append(keyword)
    return result


@dataclass(frozen=True)
class Expert:
    """Someone who listed a matching keyword, and where they take part."""

    user_id: str
    keywords: list[str]
    communities: list[str]


@dataclass(frozen=True)
class Experts:
    """The first people found (the most involved first), and how many there are in all."""

    shown: list[Expert]
    total: int


def people_with_expertise(session: Session, topic: str, *, limit: int = 60) -> Experts:
    """People with a keyword containing the topic (case and accents ignored), with their live communities."""
    wanted = fold(" ".join(topic.split()))
    if not wanted:
        return Experts([], 0)
    matching: dict[str, list[str]] = {}
    for user_id, keyword in session.execute(
        select(ExpertiseKeyword.user_id, ExpertiseKeyword.keyword).order_by(ExpertiseKeyword.id)
    ):
        if wanted in fold(keyword):
            matching.setdefault(user_id, []).append(keyword)
    places: dict[str, list[str]] = {}
    for chunk in chunks(matching):
        for user_id, name in session.execute(
            select(Membership.user_id, Community.name)
            .join(Community, Community.id == Membership.community_id)
            .where(Membership.user_id.in_(chunk), Membership.left_at.is_(None), Community.archived_at.is_(None))
            .order_by(Community.name)
        ):
            places.setdefault(user_id, []).append(name)
    experts = [Expert(user_id, keywords, places.get(user_id, [])) for user_id, keywords in matching.items()]
    ranked = sorted(experts, key=lambda expert: (-len(expert.communities), expert.user_id))
    return Experts(ranked[:limit], len(ranked))


def confirm_expertise_by_dm(
    session: Session, *, user_id: str, keywords: list[str], now: datetime, command: str
) -> None:
    """Tell the person, in a DM, what they saved (the form they used has closed)."""
    shown = escape(", ".join(keywords)) if keywords else "nothing (cleared)"
    post_message(
        session,
        channel=user_id,
        text=f"Saved. Your expertise: {shown}. Change it any time with `{command} profile`.",
        kind="expertise_saved",
        now=now,
    )
