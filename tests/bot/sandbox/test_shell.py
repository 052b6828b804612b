"""`copbot shell` answers every typed line; nothing a tester types kills it."""

from __future__ import annotations

import io

from bot.sandbox.shell import run_shell


class Script(io.StringIO):
    def isatty(self) -> bool:
        return False


def shell(lines: str) -> str:
    out = io.StringIO()
    assert run_shell(Script(lines), out) == 0
    return out.getvalue()


def test_a_huge_tick_is_refused_not_a_crash() -> None:
    transcript = shell("tick 99999999d\ntick 400d\ntick 1d\n")
    assert transcript.count("The clock moves on at most a year at a time: `tick 366d`.") == 2
    assert "⏱ The clock moves on 1d, to Tue 03 Mar 2026 08:00 UTC." in transcript


def test_forms_show_the_choices_people_see_and_refuse_what_they_do_not_offer() -> None:
    transcript = shell(
        "in python\n"
        "/cop create python Python at work\n"
        "/cop share\n"
        "submit kind=tipp title=T\n"
        "submit intro=hello title=T\n"
        'submit kind=Tip title="Pin your dependencies"\n'
        "/cop resources python\n"
    )
    assert "Kind: [kind] Article  (one of: Article | Report | Website | Guideline | Tip | Lesson)" in transcript
    assert (
        "✗ [kind] `tipp` is not a choice here; choose one of: Article, Report, Website, Guideline, Tip, Lesson"
        in transcript
    )
    assert "✗ [intro] this form has no such field; its fields are kind, url, title, tags, note" in transcript
    assert "*Pin your dependencies* · tip" in transcript


def test_a_neutralised_ping_shows_literally_and_a_real_one_is_marked() -> None:
    from bot.sandbox.render import render_blocks

    def section(text: str) -> dict[str, object]:
        return {"type": "section", "text": {"type": "mrkdwn", "text": text}}

    shown = render_blocks(
        [section("typed: &lt;!channel&gt; hi"), section("real: <!here> and <@U_BOB>")], {"U_BOB": "bob"}.get
    ).lines
    assert shown == ["typed: <!channel> hi", "real: 🔔@here and @bob"]


def test_a_subcommand_typed_without_the_slash_command_gets_a_hint() -> None:
    out = shell("join python\nfrobnicate\n")
    assert "I don't understand `join python`. Did you mean `/cop join python`? Type `help`." in out
    assert "I don't understand `frobnicate`. Type `help`." in out
