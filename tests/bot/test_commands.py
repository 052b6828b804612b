"""Parsing and suggestions for `/cop`, without Slack."""

from __future__ import annotations

from bot.commands import Audience, help_sections, parse, suggest, unknown_subcommand_reply
from bot.slack.markup import escape


def test_parse_keeps_quoted_words_together_and_lowercases_the_subcommand() -> None:
    parsed = parse('  SHARE python https://x.org "A good read" #tips ')
    assert parsed.word == "share" and parsed.args == ("python", "https://x.org", "A good read", "#tips")


def test_parse_survives_an_apostrophe() -> None:
    assert parse("ask python what's new?").args == ("python", "what's", "new?")


def test_suggestions() -> None:
    assert suggest("jion", ["join", "list", "leave"]) == ["join"]
    assert suggest("zzzz", ["join"]) == []
    assert "Did you mean" not in unknown_subcommand_reply("zzzz", "/cop")


def test_help_groups_stop_at_what_the_caller_may_do() -> None:
    titles = [title for title, _ in help_sections("/cop", widest=Audience.MEMBER)]
    assert titles == ["Everyone", "Community members"]


def test_escape_neutralises_mentions_and_links() -> None:
    assert escape("<!channel> & <@U1|x>") == "&lt;!channel&gt; &amp; &lt;@U1|x&gt;"
