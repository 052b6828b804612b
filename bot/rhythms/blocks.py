"""Block Kit of a community's rhythm: schedules, discussion prompts and check-ins."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.slack.blocks import Block, actions, button, context, header, section, sections_of_lines
from bot.slack.markup import escape, slack_date
from storage.models import Community, DiscussionPrompt

PROMPT_REMOVE_ACTION = "prompt_remove"
CHECKIN_ACTION = "checkin_answer"  # value: "<checkin id>:<good|help|snooze>"
HELP_CLAIM_ACTION = "checkin_help_claim"
JOB_TITLES = {"digest": "Digest", "prompt": "Discussion prompts", "checkin": "Check-ins", "survey": "Review survey"}
ANSWERS = {
    "good": ":white_check_mark: All good",
    "help": ":raising_hand: Could use help",
    "snooze": ":zzz: Snoozed for 2 weeks",
}
MAX_LISTED = 40


def build_prompt_post(community: Community, prompt: DiscussionPrompt) -> list[Block]:
    """A discussion prompt as posted in the community channel."""
    quoted = "\n".join(f">{line}" for line in escape(prompt.text).splitlines() if line.strip())
    return [
        section(f":speech_balloon: *Discussion prompt for {escape(community.name)}*\n{quoted}"),
        context(f"Reply in this thread; copbot counts replies, never stores them. Queued by <@{prompt.queued_by}>."),
    ]


def build_prompt_list(
    community: Community,
    *,
    queued: list[DiscussionPrompt],
    queued_total: int,
    posted: list[DiscussionPrompt],
    schedule_words: str,
    next_post: datetime | None,
    zone: ZoneInfo,
    command: str,
) -> list[Block]:
    """The queue (oldest first, each with Remove) and the recently posted prompts with their replies."""
    when = f"next {slack_date(next_post, zone)}" if next_post else "the prompt schedule is off"
    blocks: list[Block] = [
        header(f"{community.name}: discussion prompts"),
        section(f"*Queued* — posted one at a time, {schedule_words} ({when})."),
    ]
    if not queued:
        blocks.append(context(f"Nothing queued. Add one with `{command} prompt {community.name} TEXT…`."))
    for position, prompt in enumerate(queued[:MAX_LISTED], start=1):
        blocks.append(
            {
                **section(
                    f"{position}. “{escape(prompt.text)}” — queued by <@{prompt.queued_by}>, "
                    f"{slack_date(prompt.queued_at, zone, day_only=True)}"
                ),
                "accessory": button("Remove", action_id=PROMPT_REMOVE_ACTION, value=str(prompt.id), style="danger"),
            }
        )
    if queued_total > min(len(queued), MAX_LISTED):
        blocks.append(context(f"…and {queued_total - min(len(queued), MAX_LISTED)} more queued."))
    if posted:
        lines = [
            f"• “{escape(_shorten(prompt.text, 150))}” — "
            f"{slack_date(prompt.posted_at, zone, day_only=True) if prompt.posted_at else ''} · "
            f"{_replies(prompt.reply_count)}"
            for prompt in posted
        ]
        blocks.append(section("*Recently posted*"))
        blocks.extend(sections_of_lines(lines)[:3])
    return blocks


def build_schedule_list(community: Community, rows: list[tuple[str, str, str, str]]) -> list[Block]:
    """Each job of the community: (job, when in words, next run, last run and what it did)."""
    lines = [
        f"*{JOB_TITLES.get(job, job)}* — {when}\n    next: {next_run} · last: {last}"
        for job, when, next_run, last in rows
    ]
    return [header(f"{community.name}: schedules"), *sections_of_lines(lines)]


def build_checkin_dm(
    community: Community, *, checkin_id: int, user_id: str, answer: str | None, schedule_words: str
) -> list[Block]:
    """The check-in DM; once answered it shows the answer and still lets the member change it."""
    blocks: list[Block] = [section(f":wave: How is it going in *{escape(community.name)}*, <@{user_id}>?")]
    if answer is None:
        blocks.append(
            context(
                f"A check-in, {schedule_words}. *Could use help* asks member support to reach out to you; "
                "*Snooze* skips you for two weeks."
            )
        )
    else:
        blocks.append(section(f"Your answer: {ANSWERS[answer]}. Thank you! You can change it below."))
    blocks.append(
        actions(
            button("All good", action_id=CHECKIN_ACTION, value=f"{checkin_id}:good", style="primary"),
            button("Could use help", action_id=f"{CHECKIN_ACTION}_help", value=f"{checkin_id}:help"),
            button("Snooze 2 weeks", action_id=f"{CHECKIN_ACTION}_snooze", value=f"{checkin_id}:snooze"),
            block_id=f"checkin-{checkin_id}",
        )
    )
    return blocks


def build_help_alert(community: Community, *, checkin_id: int, member: str) -> list[Block]:
    """Member support's alert about a member who could use help, with the claim button."""
    return [
        section(
            f":raising_hand: <@{member}> answered a check-in in *{escape(community.name)}*: they could use some help. "
            "Could you reach out?"
        ),
        actions(button("I'll reach out", action_id=HELP_CLAIM_ACTION, value=str(checkin_id), style="primary")),
    ]


def build_help_claimed(community: Community, *, member: str, claimer: str, viewer: str) -> list[Block]:
    """What a help alert says once someone said they'd reach out."""
    who = "You are" if viewer == claimer else f"<@{claimer}> is"
    return [section(f":white_check_mark: {who} reaching out to <@{member}> in *{escape(community.name)}*.")]


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _replies(count: int) -> str:
    return f"{count} repl{'y' if count == 1 else 'ies'}"
