"""Settings per SPEC: defaults, parsing, and one-line errors naming the setting."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_follow_the_spec() -> None:
    settings = load_settings()
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///copbot.db"
    assert (settings.host, settings.port, settings.command, settings.timezone) == ("0.0.0.0", 3000, "/cop", "UTC")
    assert settings.scheduler is True and settings.admins == frozenset()
    assert settings.missing_for_serve() == "SLACK_BOT_TOKEN"


def test_values_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPBOT_ADMINS", "U1, U2,,")
    monkeypatch.setenv("COPBOT_SCHEDULER", "off")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    settings = load_settings()
    assert settings.admins == {"U1", "U2"} and settings.scheduler is False
    assert settings.socket_mode and settings.missing_for_serve() is None


def test_http_mode_needs_the_signing_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert load_settings().missing_for_serve() == "SLACK_SIGNING_SECRET"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("COPBOT_TIMEZONE", "Nowhere/Else"),
        ("PORT", "eighty"),
        ("COPBOT_COMMAND", "cop"),
        ("SLACK_BOT_TOKEN", "xoxp-user"),
        ("SLACK_API_URL", "ftp://x"),
    ],
)
def test_invalid_values_give_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    message = str(raised.value)
    assert name in message and "\n" not in message


def test_env_example_lists_every_setting_with_a_comment() -> None:
    from pathlib import Path

    from bot.settings import Settings

    lines = (Path(__file__).resolve().parents[2] / ".env.example").read_text().splitlines()
    for field in Settings.model_fields.values():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{field.alias}="))
        assert lines[index - 1].startswith("# "), f"{field.alias} has no comment"
