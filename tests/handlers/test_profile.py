"""Expertise: `/cop profile` shows and sets it, `/cop who` finds people across communities."""

from __future__ import annotations

from bot.sandbox.standin.workspace import User
from tests.conftest import RunningCopbot


def test_profile_show_set_and_clear(running: RunningCopbot) -> None:
    assert "haven't listed any expertise" in running.command("profile", user="U_BOB").json()["text"]
    assert "Saved." in running.command("profile Python, Packaging, python", user="U_BOB").json()["text"]
    assert running.command("profile", user="U_BOB").json()["text"].startswith("Your expertise: python, packaging.")
    assert running.command("profile clear", user="U_BOB").json()["text"] == "Cleared your expertise."
    assert "haven't listed" in running.command("profile", user="U_BOB").json()["text"]


def test_too_many_keywords_are_refused(running: RunningCopbot) -> None:
    many = ", ".join(f"k{index}" for index in range(21))
    assert "Up to 20 keywords" in running.command(f"profile {many}", user="U_BOB").json()["text"]
    assert "haven't listed" in running.command("profile", user="U_BOB").json()["text"]


def test_who_finds_people_across_communities_accents_folded(running: RunningCopbot) -> None:
    running.standin.workspace.add_user(User("U_ERIN", "erin"))
    running.command("create python Python at work", user="U_ADMIN", channel="C_PYTHON")
    running.command("create data Data people", user="U_ADMIN", channel="C_DATA")
    running.command("join python", user="U_BOB")
    running.command("join data", user="U_BOB")
    running.command("profile Café analytics, dashboards", user="U_BOB")
    running.command("profile cafe sourcing", user="U_CAROL")
    running.command("profile Café au lait", user="U_ERIN")
    found = str(running.command("who CAFÉ", user="U_DAN").json()["blocks"])
    assert "<@U_BOB> — café analytics · *data*, *python*" in found
    assert "<@U_CAROL> — cafe sourcing · *data*" in found, "Carol was in #data-science: a founding member"
    assert "<@U_ERIN> — café au lait · no community yet" in found
    assert "Nobody has listed expertise in “quantum”" in running.command("who quantum", user="U_DAN").json()["text"]


def test_expertise_text_is_escaped(running: RunningCopbot) -> None:
    running.command("profile &lt;!channel&gt; wrangling, <!here> herding", user="U_BOB")
    shown = str(running.command("who wrangling", user="U_DAN").json())
    assert "<!channel>" not in shown and "&lt;!channel&gt; wrangling" in shown
    assert "<!here>" not in str(running.command("who herding", user="U_DAN").json())
