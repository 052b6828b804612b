"""The net under every builder: what Slack would refuse is cut to fit, and what lets people go on stays."""

from __future__ import annotations

from bot.slack.limits import BUTTON_VALUE, MESSAGE_BLOCKS, OPTIONS, cut, fit_message, fit_view


def section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


MORE = {
    "type": "actions",
    "elements": [{"type": "button", "action_id": "more", "text": {"type": "plain_text", "text": "More"}}],
}


def test_too_many_blocks_keep_the_more_button_at_the_end() -> None:
    blocks = [section(f"row {n}") for n in range(80)] + [MORE]
    fitted = fit_message({"text": "list", "blocks": blocks})["blocks"]
    assert len(fitted) == MESSAGE_BLOCKS
    assert fitted[-1] == MORE
    assert fitted[-2]["elements"][0]["text"] == "… and 32 more blocks"
    assert fitted[-3] == section("row 47")


def test_too_many_blocks_without_buttons_end_with_how_many_were_left_out() -> None:
    fitted = fit_view({"type": "home", "blocks": [section(str(n)) for n in range(150)]})["blocks"]
    assert len(fitted) == 100 and fitted[-1]["elements"][0]["text"] == "… and 51 more blocks"


def test_long_texts_values_and_option_groups_are_cut_to_slacks_limits() -> None:
    options = [{"text": {"type": "plain_text", "text": "o" * 100}, "value": str(n)} for n in range(150)]
    picker = {
        "type": "static_select",
        "action_id": "pick",
        "option_groups": [{"label": {"type": "plain_text", "text": "g" * 100}, "options": options}],
    }
    button = {"type": "button", "action_id": "b", "text": {"type": "plain_text", "text": "b"}, "value": "v" * 5000}
    message = fit_message({"text": "x", "blocks": [{"type": "actions", "elements": [picker, button]}]})
    fitted_picker, fitted_button = message["blocks"][0]["elements"]
    [group] = fitted_picker["option_groups"]
    assert len(group["label"]["text"]) == 75 and len(group["options"]) == OPTIONS
    assert all(len(option["text"]["text"]) == 75 for option in group["options"])
    assert len(fitted_button["value"]) == BUTTON_VALUE


def test_text_is_never_cut_inside_a_link_or_an_entity() -> None:
    assert cut("see <https://example.org/a-long-path|the page> now", 20) == "see…"
    assert cut("fish &amp; chips &amp; peas", 20) == "fish &amp; chips…"
