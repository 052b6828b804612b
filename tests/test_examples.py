"""The example shell scripts run, read well to a person, and print exactly the recorded conversation."""

from __future__ import annotations

import io
from pathlib import Path

from bot.sandbox.shell import run_shell

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


class Script(io.StringIO):
    def isatty(self) -> bool:
        return False


def run(name: str) -> str:
    out = io.StringIO()
    assert run_shell(Script((EXAMPLES / name).read_text()), out) == 0
    return out.getvalue()


def test_each_tour_prints_the_recorded_conversation() -> None:
    """`examples/NAME.out` is what `copbot shell < examples/NAME.txt` prints; a change to it is a visible change."""
    tours = sorted(EXAMPLES.glob("*-tour.txt"))
    assert len(tours) >= 2
    for tour in tours:
        expected = tour.with_suffix(".out").read_text()
        assert run(tour.name) == expected, f"{tour.name} printed something else than {tour.with_suffix('.out').name}"


def test_welcome_tour_walks_through_create_role_join_and_claim() -> None:
    transcript = run("welcome-tour.txt")
    assert "Created *python* for #python" in transcript
    assert "→ DM to @carol\n    @ada made you member support of python." in transcript
    assert "▣ form “Edit python”" in transcript
    assert "→ DM to @bob\n    :wave: Welcome to *python*, @bob!" in transcript
    assert "@carol pressed “I'll welcome them”." in transcript
    assert "✎ edited DM to @carol\n    :white_check_mark: You are welcoming @bob to *python*." in transcript
    assert "@dan pressed “I'll welcome them”." in transcript
    assert "@carol is already welcoming @bob — thanks anyway!" in transcript
    assert "reminders" in transcript and "raised 1 unclaimed welcome" in transcript
    assert "✎ edited DM to @dan\n    :white_check_mark: @carol is welcoming @bob to *python*." in transcript
    assert "→ DM to @ada\n    :hourglass: @alice joined *python*" in transcript
    assert "nobody has welcomed them yet" in transcript
    assert "Traceback" not in transcript and "✗" not in transcript


def test_knowledge_tour_shares_reviews_searches_asks_and_finds_experts() -> None:
    transcript = run("knowledge-tour.txt")
    assert "Shared with *python*: Pytest documentation" in transcript
    assert "That link is already shared in this community: “Pytest documentation”." in transcript
    assert "→ DM to @carol\n    :inbox_tray: New in *python*:" in transcript
    assert "(Pinned by @carol.)" in transcript
    assert "*python* resources for “cafe”: 1–1 of 1\n    :pushpin: *Run pytest -x while debugging*" in transcript
    assert "*python* resources for “#testing”: 1–2 of 2\n    :pushpin:" in transcript
    assert "From this message (https://" in transcript
    assert "→ #python\n    :question: *@bob asks python:*" in transcript
    assert "@alice replied in the thread." in transcript
    assert "Marked answered — thank you!" in transcript and "Answered — marked by @bob." in transcript
    assert "• @bob — packaging · *python*" in transcript
    assert "Traceback" not in transcript and "✗" not in transcript


def test_rhythm_tour_schedules_prompts_checks_in_surveys_and_digests() -> None:
    transcript = run("rhythm-tour.txt")
    assert "The 3 people already in #data-science are its founding members (no welcome DM for them)." in transcript
    assert "I don't know the time zone `Berlin`. Did you mean `Europe/Berlin`?" in transcript
    assert "Next runs: Fri 06 Mar 2026 10:00 CET, Fri 13 Mar 2026 10:00 CET, Fri 20 Mar 2026 10:00 CET." in transcript
    assert "“What is one chart you made this month that changed a decision?” — Wed 04 Mar 2026 10:00 UTC" in transcript
    assert "→ #data-science\n    :speech_balloon: *Discussion prompt for data*" in transcript
    assert "· Fri 06 Mar 14:00 UTC\n→ DM to @alice\n    :wave: How is it going in *data*, @alice?" in transcript
    assert "· Mon 09 Mar 00:00 UTC\n→ DM to @bob\n    :wave: How is it going in *data*, @bob?" in transcript
    assert "→ DM to @carol\n    :raising_hand: @dan answered a check-in in *data*" in transcript
    assert "mean *4.3* · ratings 1: 0 · 2: 0 · 3: 0 · 4: 2 · 5: 1" in transcript
    assert "> I found my SQL mentor here." in transcript
    assert "→ DM to @ada\n    DATA: HEALTH DIGEST" in transcript
    assert "• “What is one chart you made this month that changed a decision?” — 2 replies" in transcript
    assert "*Check-ins*: 5 sent · 1 all good · 1 could use help (@dan) · 0 snoozed · 3 no answer" in transcript
    assert "HOW YOUR COMMUNITIES ARE DOING" in transcript
    assert "Traceback" not in transcript and "✗" not in transcript


def test_the_readme_shows_what_the_tours_print() -> None:
    """Each `text` block of the README that quotes copbot's output appears, line by line, in a tour's transcript."""
    readme = (EXAMPLES.parent / "README.md").read_text()
    transcripts = "\n".join(path.read_text() for path in EXAMPLES.glob("*-tour.out"))
    quoted = [block.split("```", 1)[0] for block in readme.split("```text\n")[1:]]
    assert quoted, "the README quotes the shell"
    for block in quoted:
        for line in block.splitlines():
            if line.strip() not in ("", "…"):
                assert line in transcripts or line.strip() in transcripts, (
                    f"README shows a line no tour prints: {line!r}"
                )
