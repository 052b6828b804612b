"""Block Kit of the review survey: the invitation, the form, the thank-you, and the results."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.rhythms.survey_results import CYCLES, MIN_ANSWERS, SurveyOverview
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


def build_results(community: Community, overview: SurveyOverview, *, zone: ZoneInfo, command: str) -> list[Block]:
    """The open round's progress (a count only), then the last closed round's results per value cycle."""
    blocks: list[Block] = [header(f"{community.name}: review survey")]
    if overview.open_round is not None:
        survey_round = overview.open_round
        blocks.append(
            section(
                f"A round is open until {slack_date(survey_round.closes_at, zone)}: {survey_round.answers} of "
                f"{overview.open_invited} members have answered so far. Its results show when it closes, so that "
                "no answer can be told apart from the ones before it."
            )
        )
    closed = overview.last_closed
    if closed is None:
        if overview.open_round is None:
            blocks.append(section(f"No round has closed yet. `{command} survey {community.name}` opens one."))
        return blocks
    survey_round = closed.round
    when = f"{slack_date(survey_round.opened_at, zone, day_only=True)} – {slack_date(survey_round.closes_at, zone, day_only=True)}"
    blocks.append(
        context(f"Last closed round: {when} · {survey_round.answers} of {closed.invited} members answered · anonymous")
    )
    if not closed.shown:
        blocks.append(
            section(
                f"Fewer than {MIN_ANSWERS} members answered, so its results stay hidden: nobody can be singled out."
            )
        )
        return blocks
    for cycle in closed.cycles:
        spread = " · ".join(f"{rating}: {count}" for rating, count in enumerate(cycle.counts, start=1))
        change = (
            ""
            if cycle.change is None
            else f" ({'+' if cycle.change > 0 else ''}{cycle.change:g} since the round before)"
        )
        mean = "—" if cycle.mean is None else f"{cycle.mean:.1f}"
        blocks.append(section(f"*{cycle.title}* — {cycle.statement}\nmean *{mean}*{change} · ratings {spread}"))
    if closed.stories:
        lines = [f"> {escape(story)}".replace("\n", "\n> ") for story in closed.stories[:MAX_STORIES]]
        blocks.append(section("*Stories of value*"))
        blocks.extend(sections_of_lines(lines)[:MAX_STORIES])
        if len(closed.stories) > MAX_STORIES:
            blocks.append(context(f"…and {len(closed.stories) - MAX_STORIES} more stories."))
    return blocks


def build_survey_received(community: Community) -> Block:
    """What the survey form turns into once the answer is in (the invitation DM is left as it was)."""
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Thank you"},
        "close": {"type": "plain_text", "text": "Done"},
        "blocks": [
            section(
                f":white_check_mark: Your answer to the *{escape(community.name)}* review survey is in, without your "
                f"name. The coordinators see the results when the round closes, if at least {MIN_ANSWERS} members answered."
            )
        ],
    }
