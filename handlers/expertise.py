"""`/cop profile` and `/cop who`: stated expertise, across communities."""

from __future__ import annotations

from bot.communities.permissions import Audience
from bot.knowledge.expertise import expertise_of, keyword_problem, parse_keywords, people_with_expertise, set_expertise
from bot.slack.blocks import context, section, sections_of_lines
from bot.slack.markup import escape
from handlers.subcommands import CommandCall, Reply, Subcommands

subcommands = Subcommands()
CLEAR_WORDS = ("clear", "none", "-")


@subcommands.add(
    "profile", "[EXPERTISE, …]", "show or set your expertise", Audience.ANYONE, reads=lambda args: not args
)
def profile(call: CommandCall) -> Reply:
    """Show your expertise, or set it from a comma-separated list (`clear` empties it)."""
    command = call.command
    if not call.rest:
        keywords = expertise_of(call.session, [call.user_id])[call.user_id]
        if not keywords:
            return Reply(
                text=f"You haven't listed any expertise yet. Add some: `{command} profile python, testing, facilitation`."
            )
        return Reply(
            text=f"Your expertise: {escape(', '.join(keywords))}. Change it with `{command} profile …`, or `{command} profile clear`."
        )
    keywords = [] if call.rest.strip().lower() in CLEAR_WORDS else parse_keywords(call.rest)
    problem = keyword_problem(keywords)
    if problem:
        return Reply.refusal(problem)
    set_expertise(call.session, user_id=call.user_id, keywords=keywords, now=call.services.clock.now())
    if not keywords:
        return Reply(text="Cleared your expertise.")
    return Reply(text=f"Saved. People asking `{command} who …` about {escape(', '.join(keywords))} will find you.")


@subcommands.add("who", "TOPIC", "members who know about a topic", Audience.ANYONE, required=1, reads=True)
def who(call: CommandCall) -> Reply:
    """Members who listed a matching expertise, with the communities they are in."""
    topic = call.rest.strip()
    found = people_with_expertise(call.session, topic)
    if not found.total:
        return Reply(
            text=f"Nobody has listed expertise in “{escape(topic)}” yet. Add yours with `{call.command} profile`."
        )
    lines = []
    for person in found.shown:
        places = ", ".join(f"*{escape(name)}*" for name in person.communities) or "no community yet"
        lines.append(f"• <@{person.user_id}> — {escape(', '.join(person.keywords))} · {places}")
    people = f"{found.total:,} {'person knows' if found.total == 1 else 'people know'}"
    blocks = [section(f"{people} about “{escape(topic)}”:"), *sections_of_lines(lines)]
    if found.total > len(found.shown):
        more = found.total - len(found.shown)
        blocks.append(context(f"…and {more:,} more; those in the most communities come first."))
    return Reply(text=f"People who know about {escape(topic)}", blocks=blocks)
