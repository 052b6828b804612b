"""The Slack app manifest: exactly the command, events, shortcut and scopes copbot uses."""

from __future__ import annotations

from typing import Any

import yaml

from bot.knowledge.blocks import SAVE_RESOURCE_CALLBACK
from bot.settings import Settings

BOT_SCOPES = (
    "channels:history",  # message.channels (activity counts, thread replies); delivery checks
    "channels:join",  # join a community's channel to post there
    "channels:read",  # member_joined_channel / member_left_channel, channel info
    "chat:write",  # every message copbot sends or updates
    "commands",  # the slash command and the message shortcut
    "groups:history",  # message.groups: activity and thread replies in private community channels
    "groups:read",  # private community channels: their members (founding members, member_joined_channel)
    "im:history",  # check a DM before re-sending a message whose delivery was uncertain
    "im:write",  # open DMs (welcomes, alerts, digests)
    "users:read",  # users.info: admins, time zones, team_join
)
BOT_EVENTS = (
    "app_home_opened",
    "member_joined_channel",
    "member_left_channel",
    "message.channels",
    "message.groups",
    "team_join",
    "user_change",  # a deactivated role holder stops getting alerts, and the coordinators hear of it
)
PLACEHOLDER_URL = "https://copbot.example.com"


def build_manifest(settings: Settings, *, base_url: str | None = None) -> dict[str, Any]:
    """The manifest as a dict; HTTP request URLs unless Socket Mode is configured."""
    events_url = f"{(base_url or PLACEHOLDER_URL).rstrip('/')}/slack/events"
    socket_mode = settings.socket_mode
    command: dict[str, Any] = {
        "command": settings.command,
        "description": "Communities of practice: join, share, ask",
        "usage_hint": "help | list | join NAME | share NAME URL | ask NAME QUESTION",
        "should_escape": True,
    }
    event_subscriptions: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if not socket_mode:
        command["url"] = events_url
        event_subscriptions["request_url"] = events_url
        interactivity["request_url"] = events_url
    return {
        "display_information": {
            "name": "copbot",
            "description": "Runs communities of practice: welcomes, resources, rhythm and health digests.",
            "background_color": "#2c4a6b",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": "copbot", "always_online": True},
            "slash_commands": [command],
            "shortcuts": [
                {
                    "name": "Save as community resource",
                    "type": "message",
                    "callback_id": SAVE_RESOURCE_CALLBACK,
                    "description": "Keep this message as a resource of a community",
                }
            ],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": event_subscriptions,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }


def render_manifest(settings: Settings, *, base_url: str | None = None) -> str:
    """The manifest as YAML, ready to paste into "Create an app → From a manifest"."""
    return yaml.safe_dump(build_manifest(settings, base_url=base_url), sort_keys=False, allow_unicode=True)
