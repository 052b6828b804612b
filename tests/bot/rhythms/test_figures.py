"""The digest's figures from known data: each for the period and the period before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.communities.lifecycle import create_community
from bot.rhythms.digest_blocks import build_digest, sparkline
from bot.rhythms.figures import Period, digest_figures
from storage.models import ActivityCount, CheckIn, Community, Membership, Question, Resource, WelcomeAlert

END = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # a Monday: the period is the week before
START = END - timedelta(days=7)


def member(
    db: Session,
    community: Community,
    user: str,
    joined: datetime,
    *,
    left: datetime | None = None,
    source: str = "command",
) -> Membership:
    membership = Membership(community_id=community.id, user_id=user, joined_at=joined, left_at=left, source=source)
    db.add(membership)
    db.flush()
    return membership


def welcome(db: Session, membership: Membership, *, by: str | None = None, after: timedelta | None = None) -> None:
    db.add(
        WelcomeAlert(
            membership_id=membership.id,
            community_id=membership.community_id,
            newcomer_id=membership.user_id,
            created_at=membership.joined_at,
            claimed_by=by,
            claimed_at=membership.joined_at + after if after else None,
        )
    )


def test_every_figure_counts_its_own_period_and_the_one_before(db_either: Session) -> None:
    db = db_either
    community = create_community(
        db,
        name="python",
        purpose="p",
        channel_id="C1",
        creator="U_ADA",
        now=END - timedelta(days=100),
        founding_members=["U_OLD"],
    )
    # Joined this week (two welcomed, one not yet), one the week before, one left this week.
    bob = member(db, community, "U_BOB", START + timedelta(days=1))
    cat = member(db, community, "U_CAT", START + timedelta(days=2))
    eve = member(db, community, "U_EVE", START + timedelta(days=3))
    fay = member(db, community, "U_FAY", START - timedelta(days=3))
    member(db, community, "U_GUS", END - timedelta(days=60), left=START + timedelta(days=4))
    welcome(db, bob, by="U_ADA", after=timedelta(hours=1))
    welcome(db, cat, by="U_ADA", after=timedelta(hours=3))
    welcome(db, eve)
    welcome(db, fay, by="U_ADA", after=timedelta(hours=10))
    # Activity: three members post this week, one the week before; Bob and Fay are recent joiners who posted.
    for user, day, messages in (("U_BOB", 2, 4), ("U_ADA", 3, 10), ("U_FAY", 5, 1), ("U_ADA", -2, 7)):
        db.add(
            ActivityCount(
                community_id=community.id, user_id=user, day=(START + timedelta(days=day)).date(), messages=messages
            )
        )
    # Questions: two asked this week (first replies after 30 and 90 minutes), one open since long ago.
    for asked, reply in ((START + timedelta(days=1), 30), (START + timedelta(days=2), 90)):
        db.add(
            Question(
                community_id=community.id,
                asked_by="U_BOB",
                text="q",
                asked_at=asked,
                reply_count=1,
                first_reply_at=asked + timedelta(minutes=reply),
                answered_at=asked + timedelta(hours=5),
            )
        )
    db.add(
        Question(
            community_id=community.id, asked_by="U_CAT", text="old", asked_at=END - timedelta(days=20), reply_count=0
        )
    )
    db.add(
        Resource(
            community_id=community.id,
            kind="article",
            url="https://x.org",
            url_normalized="https://x.org",
            title="X",
            note="",
            shared_by="U_BOB",
            shared_at=START + timedelta(days=1),
            pinned=False,
            search_text="x",
        )
    )
    db.add(
        CheckIn(
            community_id=community.id, user_id="U_BOB", period="p", sent_at=START + timedelta(days=4), answer="help"
        )
    )
    db.add(
        CheckIn(community_id=community.id, user_id="U_CAT", period="p", sent_at=START + timedelta(days=4), answer=None)
    )
    db.flush()

    figures = digest_figures(db, community, Period(START, END))

    assert (figures.members.now, figures.members.before) == (6, 4), (
        "Ada, Old, Bob, Cat, Eve, Fay; before: Ada, Old, Fay, Gus"
    )
    assert (figures.joined.now, figures.joined.before) == (3, 1) and (figures.left.now, figures.left.before) == (1, 0)
    assert [n.user_id for n in figures.newcomers] == ["U_BOB", "U_CAT", "U_EVE"] and figures.waiting_for_welcome == 1
    assert (figures.time_to_welcome.now, figures.time_to_welcome.before) == (2 * 3600, 10 * 3600)
    assert (figures.active.now, figures.active.before) == (3, 1) and (
        figures.messages.now,
        figures.messages.before,
    ) == (15, 7)
    assert figures.active_share.now == 50
    assert figures.retention == (4, 2), "Bob, Cat, Eve, Fay joined in the last 8 weeks (Gus left); Bob and Fay posted"
    assert (figures.shared.now, figures.waiting_for_review) == (1, 1)
    assert (figures.asked.now, figures.asked.before, figures.answered.now, figures.first_reply.now) == (2, 0, 2, 3600)
    assert [q.text for q in figures.open_questions] == ["old"] and figures.open_total == 1
    assert (
        figures.checkins.sent,
        figures.checkins.help_total,
        figures.checkins.need_help,
        figures.checkins.unanswered,
    ) == (2, 1, ["U_BOB"], 1)
    assert [(active, messages) for _, active, messages in figures.trend][-2:] == [(1, 7), (3, 15)]
    assert len(figures.trend) == 12 and sum(active for _, active, _ in figures.trend[:-2]) == 0
    text = str(build_digest(community, figures, zone=ZoneInfo("UTC"), workspace_url="https://acme.slack.com/"))
    assert "*Members*: 6 (+2) · 3 joined (+2) · 1 left (+1)" in text
    assert "median time to welcome 2 h (the week before: 10 h)" in text
    assert "• <@U_EVE> — :hourglass: nobody has welcomed them yet" in text
    assert "Newcomer retention: 2 of the 4 who joined in the last 8 weeks posted in the last 2" in text


def test_the_sparkline_scales_from_lowest_to_highest() -> None:
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█"
    assert sparkline([5, 5, 5]) == "▄▄▄" and sparkline([0, 0]) == "▁▁"
