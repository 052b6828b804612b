"""A local stand-in for the Slack Web API, and Slack-signed requests for driving the app under test."""

from bot.sandbox.standin.blockkit import validate_message, validate_view
from bot.sandbox.standin.requests import (
    AppResponse,
    SignedSender,
    block_actions_body,
    event_body,
    message_shortcut_body,
    sign,
    slash_command_body,
    view_submission_body,
)
from bot.sandbox.standin.server import RecordedCall, SlackStandin
from bot.sandbox.standin.workspace import Channel, Message, User, Workspace

__all__ = [
    "AppResponse",
    "Channel",
    "Message",
    "RecordedCall",
    "SignedSender",
    "SlackStandin",
    "User",
    "Workspace",
    "block_actions_body",
    "event_body",
    "message_shortcut_body",
    "sign",
    "slash_command_body",
    "validate_message",
    "validate_view",
    "view_submission_body",
]
