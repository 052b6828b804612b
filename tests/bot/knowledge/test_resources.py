"""Resource rules without Slack: URL normalisation, parsing, field problems."""

from __future__ import annotations

import pytest

from bot.communities.lifecycle import Refused
from bot.knowledge.resources import ShareRequest, normalize_url, parse_share_command, parse_tags, share_problems
from storage.search import fold, searchable_text


@pytest.mark.parametrize(
    "variant",
    [
        "https://Example.org/guide",
        "https://example.org/guide/",
        "HTTPS://EXAMPLE.ORG/guide#part-2",
        "https://example.org/guide?utm_source=slack&utm_medium=chat",
    ],
)
def test_urls_that_differ_only_cosmetically_normalise_the_same(variant: str) -> None:
    assert normalize_url(variant) == "https://example.org/guide"


def test_meaningful_query_and_path_case_are_kept() -> None:
    assert normalize_url("https://example.org/Guide?page=2&utm_campaign=x") == "https://example.org/Guide?page=2"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/file", "example.org", "mailto:a@b.c"])
def test_only_http_links_are_accepted(url: str) -> None:
    with pytest.raises(Refused):
        normalize_url(url)


def test_share_command_parsing() -> None:
    request = parse_share_command(("<https://x.org/a|x.org/a>", "A", "good", "read", "#Testing", "#tip", "#testing"))
    assert (request.url, request.title, request.kind, request.tags) == (
        "https://x.org/a",
        "A good read",
        "tip",
        ["testing"],
    )


def test_tags_from_a_field() -> None:
    assert parse_tags(["CI, packaging  #docs bad!tag"]) == ["ci", "packaging", "docs"]


def test_field_problems() -> None:
    assert share_problems(ShareRequest(url=None, title="", kind="article")) == {
        "url": "Add the link, or choose tip or lesson for knowledge without one.",
        "title": "Give it a title or a link.",
    }
    assert share_problems(ShareRequest(url=None, title="Run tests first", kind="tip")) == {}
    assert "url" in share_problems(ShareRequest(url="ftp://x", title="t"))


def test_folding_and_search_text() -> None:
    assert fold("Café CRÈME") == "cafe creme"
    assert searchable_text(title="Café!", note="über-cool", tags=["ux"]) == "cafe uber cool ux"


def test_a_saved_message_gives_a_title_without_the_url_and_the_rest_as_the_note() -> None:
    from bot.knowledge.resources import SavedMessage, resource_from_message

    assert resource_from_message("Read this: https://x.org/guide\nIt explains flaky tests.\nThanks!") == SavedMessage(
        url="", title="Read this: https://x.org/guide", note="It explains flaky tests.\nThanks!"
    )  # a bare URL Slack did not mark up is no link yet
    assert resource_from_message("Read this: <https://x.org/guide>\nIt explains flaky tests.\nThanks!") == SavedMessage(
        url="https://x.org/guide", title="Read this: x.org", note="It explains flaky tests.\nThanks!"
    )
    assert resource_from_message("<https://x.org/guide>\nFlaky tests, explained\nsee part 2") == SavedMessage(
        url="https://x.org/guide", title="Flaky tests, explained", note="see part 2"
    )
    assert resource_from_message("<https://x.org/a|The guide> is good\nsee section 2") == SavedMessage(
        url="https://x.org/a", title="The guide", note="The guide is good\nsee section 2"
    )
    assert resource_from_message("<https://x.org/a>") == SavedMessage(url="https://x.org/a", title="", note="")
    assert resource_from_message("Tip: run pytest -x\nstops at the first failure") == SavedMessage(
        url="", title="Tip: run pytest -x", note="stops at the first failure"
    )
