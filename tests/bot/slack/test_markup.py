"""Slack text: escaping what users wrote, and reading Slack markup back."""

from __future__ import annotations

from bot.slack.markup import escape, first_link, mentioned_user, permalink, plain_text


def test_escape_neutralises_mentions_and_links() -> None:
    assert escape("<!channel> & <@U1|x>") == "&lt;!channel&gt; &amp; &lt;@U1|x&gt;"


def test_slack_text_helpers() -> None:
    text = "See <https://x.org/a|the guide> by <@U1|ann>, <!here> &amp; more"
    assert first_link(text) == ("https://x.org/a", "the guide")
    assert plain_text(text) == "See the guide (https://x.org/a) by @ann, @here & more"
    assert permalink(domain="acme", channel_id="C1", ts="1.000200") == "https://acme.slack.com/archives/C1/p1000200"
    assert permalink(domain=None, channel_id="C1", ts="1.2") is None


def test_a_mention_names_its_user() -> None:
    assert mentioned_user("<@U123|alice>") == "U123" and mentioned_user("<@W9>") == "W9"
    assert mentioned_user("@alice") is None and mentioned_user("<#C1|python>") is None
