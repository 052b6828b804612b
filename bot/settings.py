"""The one validated settings object, read from the environment and `.env`."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SLASH_COMMAND_PATTERN = r"^/[a-z0-9_-]{1,31}$"
ON_WORDS = frozenset({"on", "true", "yes", "1"})
OFF_WORDS = frozenset({"off", "false", "no", "0"})


class Settings(BaseSettings):
    """copbot's settings, per SPEC's "Running it" table."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    database_url: str = Field(default="sqlite:///copbot.db", alias="DATABASE_URL")
    host: str = Field(default="0.0.0.0", alias="HOST")
    port: int = Field(default=3000, ge=0, le=65535, alias="PORT")
    admins: Annotated[frozenset[str], NoDecode] = Field(default=frozenset(), alias="COPBOT_ADMINS")
    timezone: str = Field(default="UTC", alias="COPBOT_TIMEZONE")
    scheduler: bool = Field(default=True, alias="COPBOT_SCHEDULER")
    command: str = Field(default="/cop", pattern=SLASH_COMMAND_PATTERN, alias="COPBOT_COMMAND")
    greet_workspace_joiners: bool = Field(default=True, alias="COPBOT_GREET_WORKSPACE_JOINERS")

    @field_validator("slack_bot_token", "slack_signing_secret", "slack_app_token", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Berlin)") from None
        return value

    @field_validator("scheduler", "greet_workspace_joiners", mode="before")
    @classmethod
    def _on_off(cls, value: object) -> object:
        if isinstance(value, str):
            word = value.strip().lower()
            if word in ON_WORDS | OFF_WORDS:
                return word in ON_WORDS
            raise ValueError("must be on or off")
        return value

    @property
    def socket_mode(self) -> bool:
        """True when `serve` should use Socket Mode instead of HTTP."""
        return self.slack_app_token is not None

    @property
    def zone(self) -> ZoneInfo:
        """The default time zone of schedules."""
        return ZoneInfo(self.timezone)

    def missing_for_serve(self) -> str | None:
        """Name the first setting `serve` needs but lacks, or None."""
        if self.slack_bot_token is None:
            return "SLACK_BOT_TOKEN"
        if not self.socket_mode and self.slack_signing_secret is None:
            return "SLACK_SIGNING_SECRET"
        return None


class SettingsError(Exception):
    """A setting is missing or invalid; the message is one line naming it."""


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment and `.env`, raising SettingsError with one line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "settings"
        alias = Settings.model_fields[name].alias if name in Settings.model_fields else name
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"invalid setting {alias}: {message}") from None
