"""The `/cop` command table: parsing, suggestions, and help built from what the features declare."""

from __future__ import annotations

import pytest

from bot.communities.permissions import Audience
from handlers import command_table
from handlers.command_table import CommandTable, parse, suggest
from handlers.subcommands import CommandCall, Reply, Subcommand, Subcommands


def test_parse_keeps_quoted_words_together_and_lowercases_the_subcommand() -> None:
    parsed = parse('  SHARE python https://x.org "A good read" #tips ')
    assert parsed.word == "share" and parsed.args == ("python", "https://x.org", "A good read", "#tips")


def test_parse_survives_an_apostrophe() -> None:
    assert parse("ask python what's new?").args == ("python", "what's", "new?")


def test_suggestions() -> None:
    assert suggest("jion", ["join", "list", "leave"]) == ["join"]
    assert suggest("zzzz", ["join"]) == []
    assert "Did you mean" not in command_table().unknown_reply("zzzz", "/cop")
    assert "Did you mean `/cop join`?" in command_table().unknown_reply("jion", "/cop")


def test_help_groups_stop_at_what_the_caller_may_do() -> None:
    titles = [title for title, _ in command_table().help_sections("/cop", widest=Audience.MEMBER)]
    assert titles == ["Everyone", "Community members"]


def test_help_lists_exactly_the_subcommands_that_have_a_handler() -> None:
    table = command_table()
    listed = [
        line.split()[1].strip("`") for _, lines in table.help_sections("/cop", widest=Audience.ADMIN) for line in lines
    ]
    assert listed and len(listed) == len(set(listed))
    for name in listed:
        subcommand = table.get(name)
        assert subcommand is not None and callable(subcommand.handler), name
    assert sorted(listed) == sorted(subcommand.name for subcommand in table)


def test_a_subcommand_without_a_handler_cannot_join_the_table() -> None:
    feature = Subcommands()

    @feature.add("ping", "", "answer pong", Audience.ANYONE)
    def ping(call: CommandCall) -> Reply:
        return Reply(text="pong")

    assert [s.name for s in CommandTable([feature]) if s.name != "help"] == ["ping"]
    broken = [Subcommand("pong", "", "no handler", Audience.ANYONE, handler=None)]  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="pong"):
        CommandTable([broken])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="declared twice"):
        CommandTable([feature, feature])
