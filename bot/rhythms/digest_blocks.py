"""The health digest as a Slack message: each figure for its period, with the change since the period before."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.rhythms.figures import DigestFigures, Pair, Period
from bot.rhythms.survey_results import CYCLES, RoundResults
from bot.slack.blocks import Block, context, header, link, mentions, sections_of_lines
from bot.slack.markup import escape, message_link
from storage.models import Community

SPARK = "▁▂▃▄▅▆▇█"


def period_label(period: Period, zone: ZoneInfo) -> str:
    """`Mon 02 Mar – Mon 09 Mar 2026`, in the schedule's zone."""
    start, end = period.start.astimezone(zone), period.end.astimezone(zone)
    return f"{start:%a %d %b} – {end:%a %d %b %Y}"


def period_noun(period: Period) -> str:
    """What the period before is called: "week", "2 weeks", "month", or "period"."""
    days = round(period.length / timedelta(days=1))
    if days == 7:
        return "week"
    if days % 7 == 0 and days:
        return f"{days // 7} weeks"
    if 28 <= days <= 31:
        return "month"
    return "period"


def build_digest(
    community: Community, figures: DigestFigures, *, zone: ZoneInfo, workspace_url: str | None
) -> list[Block]:
    """The digest DM (and `/cop digest` preview), within Block Kit's limits whatever the community's size."""
    noun = period_noun(figures.period)
    lines = [
        *_members(figures, noun),
        *_welcome(figures, noun),
        *_activity(figures, noun),
        *_knowledge(figures, noun),
        *_questions(figures, noun, workspace_url),
        *_rhythm(figures),
        *_surveys(figures.surveys),
        *_trend(figures, noun),
    ]
    return [
        header(f"{community.name}: health digest"),
        context(
            f"{period_label(figures.period, zone)} ({zone.key}) · each change is against the {noun} before · "
            "message text is never stored, only counts"
        ),
        *sections_of_lines(lines)[:45],
    ]


def headline(figures: DigestFigures) -> list[str]:
    """The few figures a coordinator's App Home shows."""
    lines = [
        f"{_n(figures.members.now)} members ({_change(figures.members)}), {_n(figures.active.now)} active"
        + (f" ({_n(figures.active_share.now)}%)" if figures.active_share.now is not None else ""),
        f"{_n(figures.joined.now)} joined, median time to welcome {_duration(figures.time_to_welcome.now)}"
        + (f", {figures.waiting_for_welcome} still waiting" if figures.waiting_for_welcome else ""),
        f"{_n(figures.asked.now)} questions asked, {figures.open_total} open for more than 48 h",
    ]
    if figures.checkins.help_total:
        lines.append(f"{figures.checkins.help_total} could use help (check-ins)")
    return lines


def _members(figures: DigestFigures, noun: str) -> list[str]:
    return [
        f"*Members*: {_n(figures.members.now)} ({_change(figures.members)}) · {_n(figures.joined.now)} joined "
        f"({_change(figures.joined)}) · {_n(figures.left.now)} left ({_change(figures.left)})"
    ]


def _welcome(figures: DigestFigures, noun: str) -> list[str]:
    if not figures.newcomers_total:
        return ["*Welcome*: no newcomers this " + noun + "."]
    lines = [
        f"*Welcome*: median time to welcome {_duration(figures.time_to_welcome.now)} "
        f"(the {noun} before: {_duration(figures.time_to_welcome.before)}) · "
        f"{figures.waiting_for_welcome} still waiting"
    ]
    for newcomer in figures.newcomers:
        if newcomer.claimed_by:
            how = f"welcomed by <@{newcomer.claimed_by}> after {_duration(newcomer.seconds_to_claim)}"
        elif newcomer.still_member:
            how = ":hourglass: nobody has welcomed them yet"
        else:
            how = "left before anyone welcomed them"
        lines.append(f"• <@{newcomer.user_id}> — {how}")
    lines.extend(_more(figures.newcomers_total, len(figures.newcomers)))
    return lines


def _activity(figures: DigestFigures, noun: str) -> list[str]:
    share = f", {_n(figures.active_share.now)}% of members" if figures.active_share.now is not None else ""
    joined, posted = figures.retention
    joined_before, posted_before = figures.retention_before
    return [
        f"*Activity*: {_n(figures.active.now)} active members{share} ({_change(figures.active)}) · "
        f"{_n(figures.messages.now)} messages ({_change(figures.messages)})",
        f"Newcomer retention: {posted} of the {joined} who joined in the last 8 weeks posted in the last 2 "
        f"(the {noun} before: {posted_before} of {joined_before})",
    ]


def _knowledge(figures: DigestFigures, noun: str) -> list[str]:
    lines = [
        f"*Knowledge*: {_n(figures.shared.now)} resources shared ({_change(figures.shared)}) · "
        f"{figures.waiting_for_review} waiting for review"
    ]
    lines.extend(f"• {link(resource.url, resource.title)} · {resource.kind}" for resource in figures.resources)
    lines.extend(_more(int(figures.shared.now or 0), len(figures.resources)))
    return lines


def _questions(figures: DigestFigures, noun: str, workspace_url: str | None) -> list[str]:
    reply = ""
    if figures.first_reply.now is not None or figures.first_reply.before is not None:
        reply = (
            f" · median time to a first reply {_duration(figures.first_reply.now)} "
            f"(the {noun} before: {_duration(figures.first_reply.before)})"
        )
    lines = [
        f"*Questions*: {_n(figures.asked.now)} asked ({_change(figures.asked)}) · {_n(figures.answered.now)} answered "
        f"({_change(figures.answered)}){reply}"
    ]
    if figures.open_total:
        lines.append(f"Open for more than 48 hours: {figures.open_total}")
    for waiting in figures.open_questions:
        text = escape(waiting.text if len(waiting.text) <= 80 else waiting.text[:79] + "…").replace("|", "¦")
        url = message_link(workspace_url, waiting.channel_id, waiting.ts)
        shown = f"<{url}|“{text}”>" if url else f"“{text}”"
        lines.append(
            f"• {shown} — <@{waiting.asked_by}>, {waiting.reply_count} repl{'y' if waiting.reply_count == 1 else 'ies'}"
        )
    lines.extend(_more(figures.open_total, len(figures.open_questions)))
    return lines


def _rhythm(figures: DigestFigures) -> list[str]:
    lines: list[str] = []
    if figures.prompts:
        lines.append(f"*Discussion prompts*: {len(figures.prompts)} posted")
        lines.extend(
            f"• “{escape(prompt.text[:100])}” — {prompt.replies} repl{'y' if prompt.replies == 1 else 'ies'}"
            for prompt in figures.prompts
        )
    tally = figures.checkins
    if tally.sent:
        help_people = (
            f" ({mentions(tally.need_help)}{' and more' if tally.help_total > len(tally.need_help) else ''})"
            if tally.need_help
            else ""
        )
        lines.append(
            f"*Check-ins*: {tally.sent} sent · {tally.good} all good · {tally.help_total} could use help{help_people} · "
            f"{tally.snoozed} snoozed · {tally.unanswered} no answer"
        )
    return lines


def _surveys(results: list[RoundResults]) -> list[str]:
    lines = []
    for result in results:
        when = f"{result.round.opened_at:%d %b}–{result.round.closes_at:%d %b}"
        if not result.shown:
            lines.append(
                f"*Review survey* ({when}): {result.round.answers} of {result.invited} answered — too few to show results."
            )
            continue
        cycles = " · ".join(
            f"{title.split()[0].lower()} {cycle.mean:.1f}"
            for (_, title, _), cycle in zip(CYCLES, result.cycles, strict=True)
            if cycle.mean is not None
        )
        lines.append(f"*Review survey* ({when}, {result.round.answers} answers): {cycles}")
    return lines


def _trend(figures: DigestFigures, noun: str) -> list[str]:
    active = [active for _, active, _ in figures.trend]
    messages = [messages for _, _, messages in figures.trend]
    first = figures.trend[0][0]
    return [
        f"*Trend* ({len(figures.trend)} {noun}s from {first:%d %b %Y}):",
        f"`{sparkline(active)}` active members {active[0]} → {active[-1]}",
        f"`{sparkline(messages)}` messages {messages[0]} → {messages[-1]}",
    ]


def sparkline(values: list[int]) -> str:
    """`▁▂▃▄▅▆▇█`, scaled from the lowest value to the highest."""
    low, high = min(values), max(values)
    if high == low:
        return SPARK[0 if high == 0 else 3] * len(values)
    return "".join(SPARK[round((value - low) / (high - low) * (len(SPARK) - 1))] for value in values)


def _more(total: int, shown: int) -> list[str]:
    return [f"…and {total - shown} more"] if total > shown else []


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _change(pair: Pair) -> str:
    if pair.now is None or pair.before is None:
        return "new"
    difference = pair.now - pair.before
    if difference == 0:
        return "no change"
    return f"{'+' if difference > 0 else '−'}{abs(difference):g}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes = int(seconds // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"
