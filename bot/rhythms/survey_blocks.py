"""Block Kit of the review survey: the invitation, the form, the thank-you, and the results."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.rhythms.survey_results import CYCLES, MIN_ANSWERS, RoundResults
from bot.slack.blocks import Block, actions, button, context, header, modal, plain_input, section, sections_of_lines
from bot.slack.markup import escape, slack_date
from storage.models import Community

SURVEY_OPEN_ACTION = "survey_open"
SURVEY_CALLBACK = "survey_submit"
RATING_WORDS = ("not at all", "a little", "somewhat", "mostly", "very much")
MAX_STORIES = 20


def build_survey_invitation(community: Community, *, round_id: int, closes_at: datetime, zone: ZoneInfo) -> list[Block]:
    """The DM inviting a member to the review survey."""
    return [
        section(
            f":bar_chart: *{escape(community.name)} review survey*: what has the community been worth to you? "
            "Five ratings and, if you like, a story."
        ),
        context(
            "Anonymous: your answer is stored apart from your name, so nobody — admins included — can see who "
            f"answered what. Open until {slack_date(closes_at, zone)}."
        ),
        actions(button("Answer the survey", action_id=SURVEY_OPEN_ACTION, value=str(round_id), style="primary")),
    ]


def build_survey_thanks(community: Community) -> list[Block]:
    """The invitation once answered."""
    return [
        section(
            f":white_check_mark: Thank you — your answer to the *{escape(community.name)}* review survey is in. "
            "The coordinators see the results once at least 3 members have answered."
        )
    ]


def build_survey_modal(community: Community, *, round_id: int) -> Block:
    """Five 1–5 ratings following the value cycles of a community of practice, and a story of value."""
    options = [
        {"text": {"type": "plain_text", "text": f"{rating} — {RATING_WORDS[rating - 1]}"}, "value": str(rating)}
        for rating in range(1, 6)
    ]
    blocks: list[Block] = [
        section(f"How has *{escape(community.name)}* been for you lately? 1 is *not at all*, 5 *very much*.")
    ]
    for block_id, title, statement in CYCLES:
        blocks.append(
            {
                "type": "input",
                "block_id": block_id,
                "label": {"type": "plain_text", "text": f"{title}: {statement}"[:2000]},
                "element": {"type": "static_select", "action_id": "value", "options": options},
            }
        )
    blocks.append(
        plain_input(
            block_id="story",
            label="A story of value (optional): something the community made possible",
            multiline=True,
            optional=True,
            max_length=2000,
        )
    )
    return modal(
        callback_id=SURVEY_CALLBACK,
        title=f"{community.name} survey"[:24],
        submit="Send",
        private_metadata=str(round_id),
        blocks=blocks,
    )


def build_results(
    community: Community, results: RoundResults, *, zone: ZoneInfo, command: str, now: datetime
) -> list[Block]:
    """A round's results per value cycle; below three answers only how many answered so far."""
    survey_round = results.round
    status = "open until" if survey_round.closes_at > now else "closed"
    when = f"opened {slack_date(survey_round.opened_at, zone, day_only=True)}, {status} {slack_date(survey_round.closes_at, zone, day_only=True)}"
    blocks: list[Block] = [
        header(f"{community.name}: review survey"),
        context(f"Round {when} · {survey_round.answers} of {results.invited} members answered · anonymous"),
    ]
    if not results.shown:
        blocks.append(
            section(
                f"{survey_round.answers} member{'s have' if survey_round.answers != 1 else ' has'} answered so far. "
                f"Results show once at least {MIN_ANSWERS} have, so nobody can be singled out."
            )
        )
        return blocks
    for cycle in results.cycles:
        spread = " · ".join(f"{rating}: {count}" for rating, count in enumerate(cycle.counts, start=1))
        change = (
            "" if cycle.change is None else f" ({'+' if cycle.change > 0 else ''}{cycle.change:g} since the last round)"
        )
        mean = "—" if cycle.mean is None else f"{cycle.mean:.1f}"
        blocks.append(section(f"*{cycle.title}* — {cycle.statement}\nmean *{mean}*{change} · ratings {spread}"))
    if results.stories:
        lines = [f"> {escape(story)}".replace("\n", "\n> ") for story in results.stories[:MAX_STORIES]]
        blocks.append(section("*Stories of value*"))
        blocks.extend(sections_of_lines(lines)[:MAX_STORIES])
        if len(results.stories) > MAX_STORIES:
            blocks.append(context(f"…and {len(results.stories) - MAX_STORIES} more stories."))
    if results.previous is None:
        blocks.append(
            context(f"This is the first round; `{command} survey {community.name}` opens another when you want one.")
        )
    return blocks
