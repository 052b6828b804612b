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
    transcript = shell("tick 99999999d\ntick 400d\ntick 2w\n")
    assert transcript.count("The clock moves on at most a year at a time: `tick 366d`.") == 2
    assert "⏱ The clock moves on 2w, to Mon 16 Mar 2026 08:00 UTC." in transcript
