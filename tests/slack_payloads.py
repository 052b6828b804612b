"""(Test data, gathered by a research pass over public captures and Slack's docs; see SOURCES.)

Realistic Slack request payload SHAPES for exercising a slack-bolt (Python, HTTP mode) app.

SAMPLES is a list of (name, kind, payload) tuples:
  kind == "event"        -> payload is the Events API JSON body
                            (POST, Content-Type: application/json, body = json.dumps(payload))
  kind == "interactive"  -> payload is the JSON object Slack puts in the `payload` form field
                            (POST, Content-Type: application/x-www-form-urlencoded,
                             body = urlencode({"payload": json.dumps(payload)}))
  kind == "command"      -> payload is the flat dict of form fields of a slash command
                            (POST, Content-Type: application/x-www-form-urlencoded,
                             body = urlencode(payload)); every value is a string, as Slack sends it
                            (note is_enterprise_install is the STRING "false"/"true").
Use `http_body(kind, payload)` below to get (content_type, body_str).  Sign with
X-Slack-Request-Timestamp / X-Slack-Signature as usual.

Fake ids used everywhere (change the constants if your app checks them):
  team T0001 / enterprise E0001 / app A0001 / bot B0001 (bot user U0099) /
  channel C0001 (private channel C0002, DM D0001) / users U0001, U0002 / Grid users W0001, W0002 /
  Slack Connect partner: team T0002, enterprise E0002, user W0003 / other app A0002 + bot B0002.

SOURCES (everything below is copied from one of these, then re-id'd; comments per sample say which):
  [HS]    MercuryTechnologies/slack-web  tests/golden/SlackWebhookEvent/*.json
          -> REAL payloads captured from Slack (commit 49363ee8d52f, 2026-04).
  [VC]    vercel/chat  packages/integration-tests/fixtures/replay/**/slack*.json
          -> REAL recorded payloads, ids anonymised (commit c4f709fe938f, 2026-08).
  [BP]    slackapi/bolt-python  tests/scenario_tests/*.py, tests/slack_bolt/request/test_internals.py
          (commit a2f21ae4b1d1, 2026-07) -> maintainers' payloads, mostly pasted from real requests.
  [JV]    slackapi/java-slack-sdk  json-logs/samples/** (merged field catalogue of everything Slack
          has sent; values blanked) and slack-app-backend tests (commit 86ff7ca99159).
  [GO]    slack-go/slack  slackevents/inner_events_test.go (TestUserChangeEvent).
  [BJS]   slackapi/bolt-js  test/types/view.test-d.ts (view_submission with nulls).
  [CAL]   calcom/cal.com  packages/app-store/slackmessaging/lib/actions/createEvent.ts
          (comment with a captured view state: datepicker/timepicker null).
  [HOME]  a captured home-tab block_actions payload in public code (code-index file id 20546964120).
  [DOCS]  docs.slack.dev/reference/events/<event> and .../events/message/<subtype> example JSON, and
          docs.slack.dev/reference/objects/conversation-object (huddle_thread message).
          Doc examples are abbreviated (no channel/event_ts/channel_type); where a sample is marked
          "docs + Events-API fields" I added the fields every real message event carries
          (channel, event_ts, channel_type, team) in the same form as the [HS]/[VC] captures.
  "composed" = no verbatim capture found; built only from field names that appear in the sources above.

Facts worth knowing (all visible in the sources):
  * message_changed / message_deleted / message_replied carry hidden: true and NO top-level `user`.
  * bot_message (classic/integration) has bot_id + username (+ icons), NO `user`.
    Modern app bots post WITHOUT a subtype: bot_id + user (the bot user) + bot_profile + app_id.
  * Slackbot posts have user "USLACKBOT" and no bot_id; huddle_thread is also from USLACKBOT.
  * In Slack Connect channels the envelope team_id/enterprise_id are the ACTOR's org, while
    context_team_id/context_enterprise_id and authorizations[0] are the installing org [BP test_internals].
  * Org-wide (Enterprise Grid) installs: authorizations[0].team_id is null, is_enterprise_install true;
    view_submission `team` is null [BP test_events_org_apps, docs view payload table].
  * block_actions from an ephemeral message has no `message`; from a modal / home tab it has
    container.type "view" + `view`, and no `channel`, `message` or `response_url`.
  * Unfilled inputs in state.values are null (value / selected_option / selected_date / selected_time)
    and [] for multi-selects; deselecting a static_select sends selected_option: null [DOCS block_actions].
"""

import base64
import copy
import json
from urllib.parse import urlencode

# ---------------------------------------------------------------------------------------------
# Fake ids
# ---------------------------------------------------------------------------------------------
TEAM_ID = "T0001"
ENTERPRISE_ID = "E0001"
APP_ID = "A0001"
BOT_ID = "B0001"
BOT_USER_ID = "U0099"
CHANNEL_ID = "C0001"
PRIVATE_CHANNEL_ID = "C0002"
DM_CHANNEL_ID = "D0001"
USER_ID = "U0001"
USER2_ID = "U0002"
GRID_USER_ID = "W0001"
GRID_USER2_ID = "W0002"
EXT_TEAM_ID = "T0002"
EXT_ENTERPRISE_ID = "E0002"
EXT_USER_ID = "W0003"
OTHER_APP_ID = "A0002"
OTHER_BOT_ID = "B0002"
VIEW_ID = "V0001"
FILE_ID = "F0001"
TOKEN = "xAbCdEfGhIjKlMnOpQrStUvW"  # legacy verification token field; Slack still sends it


def _event_context(event_type, channel=None, team=TEAM_ID):
    # Real event_context values look like "4-" + base64(json) [HS message_subtype_bot_message]
    d = {"et": event_type, "tid": team, "aid": APP_ID}
    if channel:
        d["cid"] = channel
    raw = json.dumps(d, separators=(",", ":")).encode()
    return "4-" + base64.b64encode(raw).decode()


def _auth(team_id=TEAM_ID, enterprise_id=None, user_id=BOT_USER_ID, is_enterprise_install=False):
    return {
        "enterprise_id": enterprise_id,
        "team_id": team_id,
        "user_id": user_id,
        "is_bot": True,
        "is_enterprise_install": is_enterprise_install,
    }


_MISSING = object()


def _envelope(
    event,
    event_id,
    event_time,
    team_id=TEAM_ID,
    enterprise_id=_MISSING,
    context_team_id=TEAM_ID,
    context_enterprise_id=None,
    authorizations=None,
    is_ext_shared_channel=False,
    event_context=_MISSING,
):
    """Outer event_callback wrapper, key order and presence as in [HS]/[VC] captures:
    token, team_id, [enterprise_id only on Grid], context_team_id, context_enterprise_id,
    api_app_id, event, type, event_id, event_time, authorizations, is_ext_shared_channel,
    [event_context for channel-scoped events]."""
    env = {"token": TOKEN, "team_id": team_id}
    if enterprise_id is not _MISSING:
        env["enterprise_id"] = enterprise_id
    env["context_team_id"] = context_team_id
    env["context_enterprise_id"] = context_enterprise_id
    env["api_app_id"] = APP_ID
    env["event"] = event
    env["type"] = "event_callback"
    env["event_id"] = event_id
    env["event_time"] = event_time
    env["authorizations"] = authorizations if authorizations is not None else [_auth()]
    env["is_ext_shared_channel"] = is_ext_shared_channel
    if event_context is _MISSING:
        event_context = _event_context(event.get("type"), event.get("channel"))
    if event_context is not None:
        env["event_context"] = event_context
    return env


def _rt(text, block_id="b1Xy"):
    """rich_text block exactly as Slack renders a plain text message [HS messageExample]."""
    return [
        {
            "type": "rich_text",
            "block_id": block_id,
            "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
        }
    ]


_BOT_PROFILE = {
    # [HS botMessage] / [BP test_message_bot]
    "id": BOT_ID,
    "deleted": False,
    "name": "my-test-app",
    "updated": 1716999000,
    "app_id": APP_ID,
    "icons": {
        "image_36": "https://a.slack-edge.com/80588/img/plugins/app/bot_36.png",
        "image_48": "https://a.slack-edge.com/80588/img/plugins/app/bot_48.png",
        "image_72": "https://a.slack-edge.com/80588/img/plugins/app/service_72.png",
    },
    "team_id": TEAM_ID,
}

_OTHER_BOT_PROFILE = dict(_BOT_PROFILE, id=OTHER_BOT_ID, name="other-app", app_id=OTHER_APP_ID)


def _user_object(user_id=USER_ID, team_id=TEAM_ID, **overrides):
    """User object as in a real user_change event [GO TestUserChangeEvent]."""
    u = {
        "id": user_id,
        "team_id": team_id,
        "name": "some-user",
        "deleted": False,
        "color": "4bbe2e",
        "real_name": "Some User",
        "tz": "America/Los_Angeles",
        "tz_label": "Pacific Daylight Time",
        "tz_offset": -25200,
        "profile": {
            "title": "",
            "phone": "",
            "skype": "",
            "real_name": "Some User",
            "real_name_normalized": "Some User",
            "display_name": "",
            "display_name_normalized": "",
            "fields": {},
            "status_text": "riding a train",
            "status_emoji": ":mountain_railway:",
            "status_emoji_display_info": [],
            "status_expiration": 0,
            "avatar_hash": "g12345678910",
            "first_name": "Some",
            "last_name": "User",
            "image_24": "https://secure.gravatar.com/avatar/cb0c2b2ca5e8de16be31a55a734d0f31.jpg?s=24",
            "image_32": "https://secure.gravatar.com/avatar/cb0c2b2ca5e8de16be31a55a734d0f31.jpg?s=32",
            "image_48": "https://secure.gravatar.com/avatar/cb0c2b2ca5e8de16be31a55a734d0f31.jpg?s=48",
            "image_72": "https://secure.gravatar.com/avatar/cb0c2b2ca5e8de16be31a55a734d0f31.jpg?s=72",
            "image_192": "https://secure.gravatar.com/avatar/cb0c2b2ca5e8de16be31a55a734d0f31.jpg?s=192",
            "image_512": "https://secure.gravatar.com/avatar/cb0c2b2ca5e8de16be31a55a734d0f31.jpg?s=512",
            "status_text_canonical": "",
            "team": team_id,
        },
        "is_admin": False,
        "is_owner": False,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": False,
        "is_app_user": False,
        "updated": 1716999421,
        "is_email_confirmed": True,
        "who_can_share_contact_card": "EVERYONE",
        "locale": "en-US",
    }
    u.update(overrides)
    return u


SAMPLES = []


def _add(name, kind, payload):
    SAMPLES.append((name, kind, payload))


# =============================================================================================
# 1. message events
# =============================================================================================

# [HS messageExample] + [VC dm] - plain user message in a public channel
_add(
    "message_user_plain",
    "event",
    _envelope(
        {
            "client_msg_id": "62ee8aaa-b280-4959-b2dc-c0ba4ecbfc7c",
            "type": "message",
            "text": "hello there",
            "user": USER_ID,
            "ts": "1717000000.000100",
            "team": TEAM_ID,
            "blocks": _rt("hello there", "u6n"),
            "channel": CHANNEL_ID,
            "event_ts": "1717000000.000100",
            "channel_type": "channel",
        },
        "Ev0001MSG001",
        1717000000,
    ),
)

# [HS message_rich_text] - rich_text with channel / emoji / user / link elements (no `team` key here in the capture)
_add(
    "message_user_rich_text_mentions",
    "event",
    _envelope(
        {
            "client_msg_id": "93e27a88-b87f-48e9-9b41-4a28af2a25ad",
            "type": "message",
            "text": "<#C0001|general> :cat: <@U0002> <https://example.com> text text text",
            "user": USER_ID,
            "ts": "1717000001.000200",
            "blocks": [
                {
                    "type": "rich_text",
                    "block_id": "6r5Zo",
                    "elements": [
                        {
                            "type": "rich_text_section",
                            "elements": [
                                {"type": "channel", "channel_id": CHANNEL_ID},
                                {"type": "text", "text": " "},
                                {"type": "emoji", "name": "cat", "unicode": "1f431"},
                                {"type": "text", "text": " "},
                                {"type": "user", "user_id": USER2_ID},
                                {"type": "text", "text": " "},
                                {"type": "link", "url": "https://example.com"},
                                {"type": "text", "text": " text text text"},
                            ],
                        }
                    ],
                }
            ],
            "team": TEAM_ID,
            "channel": CHANNEL_ID,
            "event_ts": "1717000001.000200",
            "channel_type": "channel",
        },
        "Ev0001MSG002",
        1717000001,
    ),
)

# [VC dm__slack-direct] - DM to the bot (channel_type im), envelope with context_* fields
_add(
    "message_user_im",
    "event",
    _envelope(
        {
            "type": "message",
            "user": USER_ID,
            "ts": "1717000002.000300",
            "client_msg_id": "7f846ada-9111-41d4-983b-e5eda731bc0c",
            "text": "hello hello",
            "team": TEAM_ID,
            "blocks": _rt("hello hello", "yrdrR"),
            "channel": DM_CHANNEL_ID,
            "event_ts": "1717000002.000300",
            "channel_type": "im",
        },
        "Ev0001MSG003",
        1717000002,
        event_context=None,
    ),
)

# [HS botMessage] - modern app bot message: NO subtype, has bot_id + user + bot_profile + app_id; in a thread
_add(
    "message_app_bot_no_subtype_in_thread",
    "event",
    _envelope(
        {
            "bot_id": OTHER_BOT_ID,
            "type": "message",
            "text": "TEST",
            "user": "U0098",
            "ts": "1717000003.000400",
            "app_id": OTHER_APP_ID,
            "team": TEAM_ID,
            "bot_profile": _OTHER_BOT_PROFILE,
            "blocks": _rt("TEST", "FVI"),
            "thread_ts": "1717000000.000100",
            "parent_user_id": USER_ID,
            "channel": CHANNEL_ID,
            "event_ts": "1717000003.000400",
            "channel_type": "channel",
        },
        "Ev0001MSG004",
        1717000003,
    ),
)

# [BP test_message_bot classic_bot_message_event_payload] - subtype bot_message, bot_id, username, NO user
_add(
    "message_bot_message_classic",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "bot_message",
            "text": "Hi there! Thanks for sharing the info!",
            "ts": "1717000004.000500",
            "username": "classic-bot",
            "bot_id": OTHER_BOT_ID,
            "channel": CHANNEL_ID,
            "event_ts": "1717000004.000500",
            "channel_type": "channel",
        },
        "Ev0001MSG005",
        1717000004,
    ),
)

# [HS message_subtype_bot_message] - bot_message with icons.emoji + app_id + blocks, NO user
_add(
    "message_bot_message_icons_app_id",
    "event",
    _envelope(
        {
            "subtype": "bot_message",
            "text": "<https://example.slack.com/archives/C0002/p1717000000000100>",
            "username": "Reacji Channeler",
            "icons": {"emoji": "bulb"},
            "type": "message",
            "ts": "1717000005.000600",
            "bot_id": OTHER_BOT_ID,
            "app_id": OTHER_APP_ID,
            "blocks": [
                {
                    "type": "rich_text",
                    "block_id": "nmh",
                    "elements": [
                        {
                            "type": "rich_text_section",
                            "elements": [
                                {"type": "link", "url": "https://example.slack.com/archives/C0002/p1717000000000100"}
                            ],
                        }
                    ],
                }
            ],
            "channel": CHANNEL_ID,
            "event_ts": "1717000005.000600",
            "channel_type": "channel",
        },
        "Ev0001MSG006",
        1717000005,
    ),
)

# [DOCS message/bot_message] literal shape (icons {} , no channel_type) + channel/event_ts
_add(
    "message_bot_message_docs_minimal",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "bot_message",
            "ts": "1717000006.000700",
            "text": "Pushing is the answer",
            "bot_id": OTHER_BOT_ID,
            "username": "github",
            "icons": {},
            "channel": CHANNEL_ID,
            "event_ts": "1717000006.000700",
        },
        "Ev0001MSG007",
        1717000006,
    ),
)

# [HS github_notification] - app bot message with legacy `attachments` (incl. attachment actions), text ""
_add(
    "message_bot_with_legacy_attachments",
    "event",
    _envelope(
        {
            "user": "U0098",
            "type": "message",
            "ts": "1717000007.000800",
            "bot_id": OTHER_BOT_ID,
            "app_id": OTHER_APP_ID,
            "text": "",
            "team": TEAM_ID,
            "bot_profile": _OTHER_BOT_PROFILE,
            "attachments": [
                {
                    "id": 1,
                    "footer_icon": "https://slack.github.com/static/img/favicon-neutral.png",
                    "ts": 1717000005,
                    "color": "36a64f",
                    "fallback": "[myorg/myrepo] Issue opened by someone",
                    "text": "another one",
                    "pretext": "Issue created by <https://github.com/someone|someone>",
                    "title": "<https://github.com/myorg/myrepo/issues/2|#2 test issue 2>",
                    "callback_id": "issue-opened-interaction",
                    "footer": "<https://github.com/myorg/myrepo|myorg/myrepo>",
                    "mrkdwn_in": ["text"],
                    "actions": [
                        {"id": "1", "name": "comment", "text": "Comment", "type": "button", "value": "{}", "style": ""},
                        {
                            "id": "3",
                            "name": "close",
                            "text": "Close",
                            "type": "button",
                            "value": "{}",
                            "style": "danger",
                        },
                    ],
                }
            ],
            "channel": CHANNEL_ID,
            "event_ts": "1717000007.000800",
            "channel_type": "channel",
        },
        "Ev0001MSG008",
        1717000007,
    ),
)

# [HS circleci] - app bot message with non-rich_text `blocks` (header/section fields/accessory/actions)
_add(
    "message_bot_with_section_blocks",
    "event",
    _envelope(
        {
            "bot_id": OTHER_BOT_ID,
            "type": "message",
            "text": "CircleCI job failed.",
            "user": "U0098",
            "ts": "1717000008.000900",
            "app_id": OTHER_APP_ID,
            "blocks": [
                {
                    "type": "header",
                    "block_id": "+6hb",
                    "text": {"type": "plain_text", "text": "Job Failed. :red_circle:", "emoji": True},
                },
                {
                    "type": "section",
                    "block_id": "jO2E",
                    "fields": [{"type": "mrkdwn", "text": "*Job*: something", "verbatim": False}],
                },
                {
                    "type": "section",
                    "block_id": "adB9",
                    "accessory": {
                        "type": "image",
                        "image_url": "https://example.com/logo.png",
                        "alt_text": "CircleCI logo",
                    },
                    "fields": [{"type": "mrkdwn", "text": "*Branch*: master", "verbatim": False}],
                },
                {
                    "type": "actions",
                    "block_id": "eeK",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "zHNw",
                            "text": {"type": "plain_text", "text": "View Job", "emoji": True},
                            "url": "https://circleci.com/gh/org/repo/1",
                        }
                    ],
                },
            ],
            "team": TEAM_ID,
            "bot_profile": _OTHER_BOT_PROFILE,
            "channel": CHANNEL_ID,
            "event_ts": "1717000008.000900",
            "channel_type": "channel",
        },
        "Ev0001MSG009",
        1717000008,
    ),
)

# [HS forwarded_message] - forwarded message: text "", attachments with is_share/message_blocks
_add(
    "message_user_forwarded_share_attachment",
    "event",
    _envelope(
        {
            "user": USER_ID,
            "type": "message",
            "ts": "1717000009.001000",
            "text": "",
            "team": TEAM_ID,
            "attachments": [
                {
                    "ts": "1717000000.000100",
                    "author_id": USER2_ID,
                    "channel_id": PRIVATE_CHANNEL_ID,
                    "channel_team": TEAM_ID,
                    "is_msg_unfurl": True,
                    "message_blocks": [
                        {
                            "team": TEAM_ID,
                            "channel": PRIVATE_CHANNEL_ID,
                            "ts": "1717000000.000100",
                            "message": {"blocks": _rt("123", "nXUog")},
                        }
                    ],
                    "color": "D0D0D0",
                    "from_url": "https://example.slack.com/archives/C0002/p1717000000000100",
                    "is_share": True,
                    "fallback": "[May 29th, 2024 10:24 AM] someone: 123",
                    "text": "123",
                    "author_name": "someone",
                    "author_link": "https://example.slack.com/team/U0002",
                    "author_icon": "https://avatars.slack-edge.com/2023-07-22/1_48.png",
                    "author_subname": "someone",
                    "mrkdwn_in": ["text"],
                    "footer": "Slack Conversation",
                }
            ],
            "channel": CHANNEL_ID,
            "event_ts": "1717000009.001000",
            "channel_type": "channel",
        },
        "Ev0001MSG010",
        1717000009,
        event_context=None,
    ),
)

# [DOCS message/me_message] + Events-API fields
_add(
    "message_me_message",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "me_message",
            "channel": CHANNEL_ID,
            "user": USER_ID,
            "text": "is doing that thing",
            "ts": "1717000010.001100",
            "event_ts": "1717000010.001100",
            "channel_type": "channel",
        },
        "Ev0001MSG011",
        1717000010,
    ),
)

# [DOCS message (edited example)] - a message object carrying `edited`, delivered as a plain message
_add(
    "message_user_with_edited_field",
    "event",
    _envelope(
        {
            "type": "message",
            "channel": CHANNEL_ID,
            "user": USER_ID,
            "text": "Hello, world!",
            "ts": "1717000011.001200",
            "edited": {"user": USER_ID, "ts": "1717000024.000000"},
            "event_ts": "1717000011.001200",
            "channel_type": "channel",
        },
        "Ev0001MSG012",
        1717000011,
    ),
)

# [BP test_message_changed] - message_changed: hidden, nested message (with edited, NO ts inside in the
# capture) + previous_message, NO top-level user
_add(
    "message_changed_edit",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "message_changed",
            "message": {
                "type": "message",
                "text": "updated message",
                "user": USER_ID,
                "team": TEAM_ID,
                "edited": {"user": USER_ID, "ts": "1717000020.000000"},
                "blocks": _rt("updated message", "xwvU3"),
            },
            "previous_message": {
                "type": "message",
                "text": "original message",
                "user": USER_ID,
                "team": TEAM_ID,
                "ts": "1717000000.000100",
                "blocks": _rt("original message", "URf"),
            },
            "channel": CHANNEL_ID,
            "hidden": True,
            "ts": "1717000020.013600",
            "event_ts": "1717000020.013600",
            "channel_type": "channel",
        },
        "Ev0001MSG013",
        1717000020,
    ),
)

# [HS messageChange] - message_changed caused by a link unfurl: attachments added, no `edited`
_add(
    "message_changed_unfurl_attachments",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "message_changed",
            "message": {
                "client_msg_id": "de349a9f-62a4-4293-b64d-701a1f566e8a",
                "type": "message",
                "text": "<https://example.slack.com/archives/C0001/p1717000000000100>",
                "user": USER_ID,
                "team": TEAM_ID,
                "attachments": [
                    {
                        "from_url": "https://example.slack.com/archives/C0001/p1717000000000100",
                        "ts": "1717000000.000100",
                        "author_id": USER_ID,
                        "channel_team": TEAM_ID,
                        "channel_id": CHANNEL_ID,
                        "channel_name": "general",
                        "is_msg_unfurl": True,
                        "message_blocks": [
                            {
                                "team": TEAM_ID,
                                "channel": CHANNEL_ID,
                                "ts": "1717000000.000100",
                                "message": {"blocks": _rt("hello there", "hn8/C")},
                            }
                        ],
                        "id": 1,
                        "original_url": "https://example.slack.com/archives/C0001/p1717000000000100",
                        "fallback": "[May 29th, 2024 1:51 PM] someone: hello there",
                        "text": "hello there",
                        "author_name": "someone",
                        "author_link": "https://example.slack.com/team/U0001",
                        "author_icon": "https://secure.gravatar.com/avatar/x.jpg?s=48",
                        "author_subname": "someone",
                        "mrkdwn_in": ["text"],
                        "footer": "Posted in #general",
                    }
                ],
                "blocks": [
                    {
                        "type": "rich_text",
                        "block_id": "FXy3n",
                        "elements": [
                            {
                                "type": "rich_text_section",
                                "elements": [
                                    {
                                        "type": "link",
                                        "url": "https://example.slack.com/archives/C0001/p1717000000000100",
                                    }
                                ],
                            }
                        ],
                    }
                ],
                "ts": "1717000021.000100",
            },
            "previous_message": {
                "client_msg_id": "de349a9f-62a4-4293-b64d-701a1f566e8a",
                "type": "message",
                "text": "<https://example.slack.com/archives/C0001/p1717000000000100>",
                "user": USER_ID,
                "ts": "1717000021.000100",
                "team": TEAM_ID,
                "blocks": [
                    {
                        "type": "rich_text",
                        "block_id": "FXy3n",
                        "elements": [
                            {
                                "type": "rich_text_section",
                                "elements": [
                                    {
                                        "type": "link",
                                        "url": "https://example.slack.com/archives/C0001/p1717000000000100",
                                    }
                                ],
                            }
                        ],
                    }
                ],
            },
            "channel": CHANNEL_ID,
            "hidden": True,
            "ts": "1717000022.001500",
            "event_ts": "1717000022.001500",
            "channel_type": "channel",
        },
        "Ev0001MSG014",
        1717000022,
    ),
)

# [DOCS message/message_changed] literal shape (no previous_message, no channel_type) + event_ts
_add(
    "message_changed_docs_minimal",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": CHANNEL_ID,
            "ts": "1717000024.000001",
            "message": {
                "type": "message",
                "user": USER_ID,
                "text": "Hello, world!",
                "ts": "1717000011.001200",
                "edited": {"user": USER_ID, "ts": "1717000024.000001"},
            },
            "event_ts": "1717000024.000001",
        },
        "Ev0001MSG015",
        1717000024,
    ),
)

# [HS message_deleted] - hidden, deleted_ts, previous_message, NO top-level user
_add(
    "message_deleted",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "message_deleted",
            "hidden": True,
            "channel": CHANNEL_ID,
            "previous_message": {
                "client_msg_id": "de349a9f-62a4-4293-b64d-701a1f566e8b",
                "type": "message",
                "text": "This message will be deleted",
                "user": USER_ID,
                "ts": "1717000000.000100",
                "team": TEAM_ID,
            },
            "deleted_ts": "1717000000.000100",
            "ts": "1717000030.001500",
            "event_ts": "1717000030.001500",
            "channel_type": "channel",
        },
        "Ev0001MSG016",
        1717000030,
    ),
)

# composed from [HS message_deleted] + [BP classic bot message]: deleted message was a bot_message (no user anywhere)
_add(
    "message_deleted_of_bot_message",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "message_deleted",
            "hidden": True,
            "channel": CHANNEL_ID,
            "previous_message": {
                "type": "message",
                "subtype": "bot_message",
                "text": "Pushing is the answer",
                "ts": "1717000006.000700",
                "username": "github",
                "bot_id": OTHER_BOT_ID,
            },
            "deleted_ts": "1717000006.000700",
            "ts": "1717000031.001600",
            "event_ts": "1717000031.001600",
            "channel_type": "channel",
        },
        "Ev0001MSG017",
        1717000031,
    ),
)

# [DOCS message/message_replied] + channel_type/event_ts.  Docs note: over the Events API the subtype is
# often missing - see message_thread_reply_user for the shape you actually get for a reply.
_add(
    "message_replied",
    "event",
    _envelope(
        {
            "type": "message",
            "message": {
                "type": "message",
                "user": USER_ID,
                "text": "Was there was there was there what was there was there what was there was there there was there.",
                "thread_ts": "1717000000.000100",
                "reply_count": 1,
                "replies": [{"user": USER2_ID, "ts": "1717000040.017503"}],
                "ts": "1717000000.000100",
            },
            "subtype": "message_replied",
            "hidden": True,
            "channel": CHANNEL_ID,
            "event_ts": "1717000041.017506",
            "ts": "1717000041.017506",
            "channel_type": "channel",
        },
        "Ev0001MSG018",
        1717000041,
    ),
)

# [HS botMessage]/[VC] shape for a human reply in a thread: plain message + thread_ts + parent_user_id
_add(
    "message_thread_reply_user",
    "event",
    _envelope(
        {
            "client_msg_id": "0186b75a-2ad4-4f36-8ccc-18608b0ac5d1",
            "type": "message",
            "text": "a reply in the thread",
            "user": USER2_ID,
            "ts": "1717000042.000200",
            "team": TEAM_ID,
            "blocks": _rt("a reply in the thread", "k3Pq"),
            "thread_ts": "1717000000.000100",
            "parent_user_id": USER_ID,
            "channel": CHANNEL_ID,
            "event_ts": "1717000042.000200",
            "channel_type": "channel",
        },
        "Ev0001MSG019",
        1717000042,
    ),
)

# [DOCS message/thread_broadcast] (full example incl. root) + event_ts/channel_type as in the doc
_add(
    "message_thread_broadcast",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "thread_broadcast",
            "text": "broadcasting this reply",
            "user": USER2_ID,
            "ts": "1717000043.620769",
            "thread_ts": "1717000000.000100",
            "root": {
                "client_msg_id": "123abc456-0000-0000-0000-000000000001",
                "type": "message",
                "text": "This is the original message",
                "user": USER_ID,
                "ts": "1717000000.000100",
                "blocks": _rt("This is the original message", "qTg"),
                "team": TEAM_ID,
                "thread_ts": "1717000000.000100",
                "reply_count": 1,
                "reply_users_count": 1,
                "latest_reply": "1717000043.620769",
                "reply_users": [USER2_ID],
                "is_locked": False,
            },
            "blocks": _rt("broadcasting this reply", "BVp"),
            "client_msg_id": "123abc456-0000-0000-0000-000000000002",
            "channel": CHANNEL_ID,
            "event_ts": "1717000043.620769",
            "channel_type": "channel",
        },
        "Ev0001MSG020",
        1717000043,
    ),
)

# [HS joinChannel] - channel_join (the bot itself joined, with inviter)
_add(
    "message_channel_join_with_inviter",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "channel_join",
            "ts": "1717000050.728809",
            "user": BOT_USER_ID,
            "text": "<@U0099> has joined the channel",
            "inviter": USER_ID,
            "channel": CHANNEL_ID,
            "event_ts": "1717000050.728809",
            "channel_type": "channel",
        },
        "Ev0001MSG021",
        1717000050,
    ),
)

# [DOCS message/channel_join] - user joined on their own: no inviter ("The property will otherwise be absent")
_add(
    "message_channel_join_no_inviter",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "channel_join",
            "ts": "1717000051.000011",
            "user": USER2_ID,
            "text": "<@U0002> has joined the channel",
            "channel": CHANNEL_ID,
            "event_ts": "1717000051.000011",
            "channel_type": "channel",
        },
        "Ev0001MSG022",
        1717000051,
    ),
)

# [DOCS message/channel_leave] + Events-API fields
_add(
    "message_channel_leave",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "channel_leave",
            "ts": "1717000052.000010",
            "user": USER2_ID,
            "text": "<@U0002> has left the channel",
            "channel": CHANNEL_ID,
            "event_ts": "1717000052.000010",
            "channel_type": "channel",
        },
        "Ev0001MSG023",
        1717000052,
    ),
)

# [DOCS message/channel_topic] + Events-API fields
_add(
    "message_channel_topic",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "channel_topic",
            "ts": "1717000053.000010",
            "user": USER_ID,
            "topic": "hello world",
            "text": "<@U0001> set the channel topic: hello world",
            "channel": CHANNEL_ID,
            "event_ts": "1717000053.000010",
            "channel_type": "channel",
        },
        "Ev0001MSG024",
        1717000053,
    ),
)

# [DOCS message/channel_purpose] + Events-API fields
_add(
    "message_channel_purpose",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "channel_purpose",
            "ts": "1717000054.000010",
            "user": USER_ID,
            "purpose": "whatever",
            "text": "<@U0001> set the channel purpose: whatever",
            "channel": CHANNEL_ID,
            "event_ts": "1717000054.000010",
            "channel_type": "channel",
        },
        "Ev0001MSG025",
        1717000054,
    ),
)

# [DOCS message/channel_name] + [BP test_internals channel_name] (team field)
_add(
    "message_channel_name",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "channel_name",
            "ts": "1717000055.000010",
            "user": USER_ID,
            "old_name": "random",
            "name": "watercooler",
            "text": '<@U0001> has renamed the channel from "random" to "watercooler"',
            "team": TEAM_ID,
            "channel": CHANNEL_ID,
            "event_ts": "1717000055.000010",
            "channel_type": "channel",
        },
        "Ev0001MSG026",
        1717000055,
    ),
)

# [DOCS message/channel_archive] + Events-API fields
_add(
    "message_channel_archive",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "channel_archive",
            "ts": "1717000056.000003",
            "text": "<U0001|@someone> archived the channel",
            "user": USER_ID,
            "channel": CHANNEL_ID,
            "event_ts": "1717000056.000003",
            "channel_type": "channel",
        },
        "Ev0001MSG027",
        1717000056,
    ),
)

# [DOCS message/group_unarchive] wording / [node @slack/types ChannelUnarchiveMessageEvent] fields
_add(
    "message_channel_unarchive",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "channel_unarchive",
            "ts": "1717000057.000003",
            "text": "<U0001|@someone> un-archived the channel",
            "user": USER_ID,
            "team": TEAM_ID,
            "channel": CHANNEL_ID,
            "event_ts": "1717000057.000003",
            "channel_type": "channel",
        },
        "Ev0001MSG028",
        1717000057,
    ),
)

# [BP test_message_file_share] - file_share with a full hosted image file object
_add(
    "message_file_share",
    "event",
    _envelope(
        {
            "type": "message",
            "text": "Hi there!",
            "files": [
                {
                    "id": FILE_ID,
                    "created": 1717000060,
                    "timestamp": 1717000060,
                    "name": "file.png",
                    "title": "file.png",
                    "mimetype": "image/png",
                    "filetype": "png",
                    "pretty_type": "PNG",
                    "user": USER_ID,
                    "user_team": TEAM_ID,
                    "editable": False,
                    "size": 92582,
                    "mode": "hosted",
                    "is_external": False,
                    "external_type": "",
                    "is_public": True,
                    "public_url_shared": False,
                    "display_as_bot": False,
                    "username": "",
                    "url_private": "https://files.slack.com/files-pri/T0001-F0001/file.png",
                    "url_private_download": "https://files.slack.com/files-pri/T0001-F0001/download/file.png",
                    "media_display_type": "unknown",
                    "thumb_64": "https://files.slack.com/files-tmb/T0001-F0001-f820f29515/file_64.png",
                    "thumb_80": "https://files.slack.com/files-tmb/T0001-F0001-f820f29515/file_80.png",
                    "thumb_360": "https://files.slack.com/files-tmb/T0001-F0001-f820f29515/file_360.png",
                    "thumb_360_w": 360,
                    "thumb_360_h": 115,
                    "thumb_160": "https://files.slack.com/files-tmb/T0001-F0001-f820f29515/file_160.png",
                    "original_w": 1134,
                    "original_h": 362,
                    "thumb_tiny": "AwAPADCkCAOcUEj0zTaKAHZHpT9oxwR+VRVMBQA0r3yPypu0f3v0p5yBTCcmmI//2Q==",
                    "permalink": "https://example.slack.com/files/U0001/F0001/file.png",
                    "permalink_public": "https://slack-files.com/T0001-F0001-faecabecf7",
                    "has_rich_preview": False,
                    "file_access": "visible",
                }
            ],
            "upload": False,
            "user": USER_ID,
            "display_as_bot": False,
            "ts": "1717000060.593159",
            "blocks": _rt("Hi there!", "ba4"),
            "client_msg_id": "ca088267-717f-41a8-9db8-c98ae14ad6a0",
            "channel": CHANNEL_ID,
            "subtype": "file_share",
            "event_ts": "1717000060.593159",
            "channel_type": "channel",
        },
        "Ev0001MSG029",
        1717000060,
    ),
)

# [HS message_file_share_slack_connect] - file_share where the file is only a stub
# (mode "file_access", file_access "check_file_info", user ""), no blocks
_add(
    "message_file_share_stub_check_file_info",
    "event",
    _envelope(
        {
            "type": "message",
            "text": "message message message",
            "files": [
                {
                    "id": "F0002",
                    "mode": "file_access",
                    "file_access": "check_file_info",
                    "created": 0,
                    "timestamp": 0,
                    "user": "",
                }
            ],
            "upload": True,
            "user": USER_ID,
            "display_as_bot": False,
            "ts": "1717000061.874149",
            "client_msg_id": "a5a11822-d14e-4621-992b-32d561648aa0",
            "channel": CHANNEL_ID,
            "subtype": "file_share",
            "event_ts": "1717000061.874149",
            "channel_type": "channel",
        },
        "Ev0001MSG030",
        1717000061,
    ),
)

# [DOCS message/pinned_item] literal (item {}, item_type "F") + Events-API fields
_add(
    "message_pinned_item",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "pinned_item",
            "user": USER_ID,
            "item_type": "F",
            "text": "<@U0001|someone> pinned their Image <https://example.slack.com/files/U0001/F0001/file.png|file.png> to this channel.",
            "item": {},
            "channel": CHANNEL_ID,
            "ts": "1717000070.083113",
            "event_ts": "1717000070.083113",
            "channel_type": "channel",
        },
        "Ev0001MSG031",
        1717000070,
    ),
)

# [DOCS message/unpinned_item] literal: sent via Slackbot, item_type "G" (private channel) + Events-API fields
_add(
    "message_unpinned_item",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "unpinned_item",
            "user": "USLACKBOT",
            "item_type": "G",
            "text": "<@U0002|other> unpinned the message you pinned to the secretplans group.",
            "item": {},
            "channel": PRIVATE_CHANNEL_ID,
            "ts": "1717000071.083113",
            "event_ts": "1717000071.083113",
            "channel_type": "group",
        },
        "Ev0001MSG032",
        1717000071,
    ),
)

# [DOCS message/ekm_access_denied] (author shown as virtual user UREVOKEDU) + Events-API fields
_add(
    "message_ekm_access_denied",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "ekm_access_denied",
            "ts": "1717000072.000010",
            "text": "Your admins have suspended everyone's access to this content.",
            "user": "UREVOKEDU",
            "channel": CHANNEL_ID,
            "event_ts": "1717000072.000010",
            "channel_type": "channel",
        },
        "Ev0001MSG033",
        1717000072,
    ),
)

# [DOCS message/reminder_add] + Events-API fields
_add(
    "message_reminder_add",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "reminder_add",
            "user": USER_ID,
            "team": TEAM_ID,
            "ts": "1717000073.000003",
            "text": "set up a reminder \u201cget reminded\u201d in this channel at 8PM every day, Pacific Standard Time.",
            "channel": CHANNEL_ID,
            "event_ts": "1717000073.000003",
            "channel_type": "channel",
        },
        "Ev0001MSG034",
        1717000073,
    ),
)

# [HS slackbotIm] - Slackbot DM to the bot user: user USLACKBOT, no bot_id, no subtype
_add(
    "message_slackbot_im",
    "event",
    _envelope(
        {
            "type": "message",
            "text": "You have been removed from #testing by <@U0001>",
            "user": "USLACKBOT",
            "ts": "1717000074.425039",
            "team": TEAM_ID,
            "blocks": [
                {
                    "type": "rich_text",
                    "block_id": "ZRe",
                    "elements": [
                        {
                            "type": "rich_text_section",
                            "elements": [
                                {"type": "text", "text": "You have been removed from #testing by "},
                                {"type": "user", "user_id": USER_ID},
                            ],
                        }
                    ],
                }
            ],
            "channel": DM_CHANNEL_ID,
            "event_ts": "1717000074.425039",
            "channel_type": "im",
        },
        "Ev0001MSG035",
        1717000074,
    ),
)

# same as above but in a channel (Slackbot auto-response / slackbot reminder)
_add(
    "message_slackbot_channel",
    "event",
    _envelope(
        {
            "type": "message",
            "text": "Reminder: stand-up in 5 minutes.",
            "user": "USLACKBOT",
            "ts": "1717000075.425040",
            "team": TEAM_ID,
            "blocks": _rt("Reminder: stand-up in 5 minutes.", "ZRf"),
            "channel": CHANNEL_ID,
            "event_ts": "1717000075.425040",
            "channel_type": "channel",
        },
        "Ev0001MSG036",
        1717000075,
    ),
)

_HUDDLE_ROOM = {
    # [DOCS conversation-object conversations.history huddle example] + recording/locale/knocks/huddle_link
    # from a second public capture (code-index file 134715812)
    "id": "R0001",
    "name": "",
    "media_server": "",
    "created_by": USER_ID,
    "date_start": 1717000080,
    "date_end": 0,
    "participants": [],
    "participant_history": [USER_ID],
    "participants_camera_on": [],
    "participants_camera_off": [],
    "participants_screenshare_on": [],
    "participants_screenshare_off": [],
    "canvas_thread_ts": "1717000080.419229",
    "thread_root_ts": "1717000080.419229",
    "channels": [CHANNEL_ID],
    "is_dm_call": False,
    "was_rejected": False,
    "was_missed": False,
    "was_accepted": False,
    "has_ended": False,
    "background_id": "GRADIENT_03",
    "canvas_background": "GRADIENT_03",
    "is_prewarmed": False,
    "is_scheduled": False,
    "attached_file_ids": [],
    "media_backend_type": "free_willy",
    "display_id": "",
    "external_unique_id": "12345abc-123a-123b-123c-12345abcde7",
    "app_id": "A00",
    "call_family": "huddle",
    "pending_invitees": {},
    "last_invite_status_by_user": {},
}

# [DOCS conversation-object] huddle_thread message from USLACKBOT with `room`, + Events-API fields
_add(
    "message_huddle_thread_started",
    "event",
    _envelope(
        {
            "type": "message",
            "text": "",
            "user": "USLACKBOT",
            "channel": CHANNEL_ID,
            "room": copy.deepcopy(_HUDDLE_ROOM),
            "no_notifications": True,
            "permalink": "https://example.slack.com/call/R0001",
            "subtype": "huddle_thread",
            "ts": "1717000080.419229",
            "blocks": _rt("A huddle started", "aBcDe"),
            "team": TEAM_ID,
            "event_ts": "1717000080.419229",
            "channel_type": "channel",
        },
        "Ev0001MSG037",
        1717000080,
    ),
)

# composed: huddle end arrives as message_changed whose nested message is the huddle_thread
# (room.has_ended true, edited by USLACKBOT) - nested shape from code-index file 134715812
_ended_room = copy.deepcopy(_HUDDLE_ROOM)
_ended_room.update({"date_end": 1717001000, "has_ended": True, "participant_history": [USER_ID, USER2_ID]})
_add(
    "message_changed_huddle_ended",
    "event",
    _envelope(
        {
            "type": "message",
            "subtype": "message_changed",
            "message": {
                "user": "USLACKBOT",
                "channel": CHANNEL_ID,
                "room": _ended_room,
                "no_notifications": True,
                "permalink": "https://example.slack.com/call/R0001",
                "subtype": "huddle_thread",
                "type": "message",
                "ts": "1717000080.419229",
                "edited": {"user": "USLACKBOT", "ts": "1717001000.000000"},
                "text": "",
                "team": TEAM_ID,
                "blocks": _rt("A huddle started", "aBcDe"),
            },
            "previous_message": {
                "user": "USLACKBOT",
                "room": copy.deepcopy(_HUDDLE_ROOM),
                "subtype": "huddle_thread",
                "type": "message",
                "ts": "1717000080.419229",
                "text": "",
                "team": TEAM_ID,
            },
            "channel": CHANNEL_ID,
            "hidden": True,
            "ts": "1717001000.000100",
            "event_ts": "1717001000.000100",
            "channel_type": "channel",
        },
        "Ev0001MSG038",
        1717001000,
    ),
)

# [BP test_internals slack_connect_events_api_requests] - message in a Slack Connect channel posted by the
# partner org: envelope team_id/enterprise_id = ACTOR org, context_* + authorizations = installing org
_add(
    "message_slack_connect_from_partner_org",
    "event",
    _envelope(
        {
            "type": "message",
            "text": "Hey!",
            "user": EXT_USER_ID,
            "ts": "1717000090.204709",
            "team": EXT_TEAM_ID,
            "blocks": _rt("Hey!", "Cx1"),
            "channel": CHANNEL_ID,
            "event_ts": "1717000090.204709",
            "channel_type": "channel",
        },
        "Ev0001MSG039",
        1717000090,
        team_id=EXT_TEAM_ID,
        enterprise_id=EXT_ENTERPRISE_ID,
        context_team_id=TEAM_ID,
        context_enterprise_id=ENTERPRISE_ID,
        authorizations=[_auth(TEAM_ID, ENTERPRISE_ID)],
        is_ext_shared_channel=True,
    ),
)

# [BP test_internals slack_connect_events_api_no_actor_team_requests] - Slack Connect message that also
# carries user_team / source_team / user_profile (seen on app_mention and message in shared channels)
_add(
    "message_slack_connect_user_team_source_team",
    "event",
    _envelope(
        {
            "type": "message",
            "text": "<@U0099> hey",
            "user": EXT_USER_ID,
            "ts": "1717000091.023359",
            "team": TEAM_ID,
            "user_team": EXT_ENTERPRISE_ID,
            "source_team": EXT_ENTERPRISE_ID,
            "user_profile": {"team": EXT_ENTERPRISE_ID},
            "channel": CHANNEL_ID,
            "event_ts": "1717000091.023359",
            "channel_type": "channel",
        },
        "Ev0001MSG040",
        1717000091,
        authorizations=[_auth(TEAM_ID, ENTERPRISE_ID)],
        is_ext_shared_channel=True,
    ),
)

# [BP test_events_org_apps test_message] - Enterprise Grid org-wide install: W user ids,
# authorizations.team_id null + is_enterprise_install true, authed_users [] present
_grid_org_msg = _envelope(
    {
        "client_msg_id": "0186b75a-2ad4-4f36-8ccc-18608b0ac5d2",
        "type": "message",
        "text": "<@W0002>",
        "user": GRID_USER_ID,
        "ts": "1717000092.000800",
        "team": TEAM_ID,
        "channel": CHANNEL_ID,
        "event_ts": "1717000092.000800",
        "channel_type": "channel",
    },
    "Ev0001MSG041",
    1717000092,
    enterprise_id=ENTERPRISE_ID,
    context_enterprise_id=ENTERPRISE_ID,
    authorizations=[_auth(None, ENTERPRISE_ID, GRID_USER2_ID, is_enterprise_install=True)],
)
_grid_org_msg["authed_users"] = []
_add("message_grid_org_install_w_users", "event", _grid_org_msg)

# [BP test_message_bot user_message_event_payload] - Grid workspace-level install (enterprise_id set,
# is_enterprise_install false), W user
_add(
    "message_grid_workspace_install_w_user",
    "event",
    _envelope(
        {
            "client_msg_id": "968c94da-c271-4f2a-8ec9-12a9985e5df4",
            "type": "message",
            "text": "Hi there! Thanks for sharing the info!",
            "user": GRID_USER_ID,
            "ts": "1717000093.001400",
            "team": TEAM_ID,
            "blocks": _rt("Hi there! Thanks for sharing the info!", "bN8"),
            "channel": CHANNEL_ID,
            "event_ts": "1717000093.001400",
            "channel_type": "channel",
        },
        "Ev0001MSG042",
        1717000093,
        enterprise_id=ENTERPRISE_ID,
        context_enterprise_id=ENTERPRISE_ID,
        authorizations=[_auth(TEAM_ID, ENTERPRISE_ID)],
    ),
)

# =============================================================================================
# 2. member_joined_channel / member_left_channel
# =============================================================================================

# [VC member-joined-channel] REAL, Grid workspace: enterprise + inviter, the bot itself joined
_add(
    "member_joined_channel_grid_bot_invited",
    "event",
    _envelope(
        {
            "type": "member_joined_channel",
            "user": BOT_USER_ID,
            "channel": CHANNEL_ID,
            "channel_type": "C",
            "team": TEAM_ID,
            "inviter": USER_ID,
            "enterprise": ENTERPRISE_ID,
            "event_ts": "1717000100.000200",
        },
        "Ev0001MJC001",
        1717000100,
        enterprise_id=ENTERPRISE_ID,
        context_enterprise_id=ENTERPRISE_ID,
        authorizations=[_auth(TEAM_ID, ENTERPRISE_ID)],
    ),
)

# [DOCS member_joined_channel] non-Grid workspace, user joined by themselves: no inviter, no enterprise
_add(
    "member_joined_channel_plain_no_inviter",
    "event",
    _envelope(
        {
            "type": "member_joined_channel",
            "user": USER2_ID,
            "channel": CHANNEL_ID,
            "channel_type": "C",
            "team": TEAM_ID,
            "event_ts": "1717000101.000200",
        },
        "Ev0001MJC002",
        1717000101,
    ),
)

# [DOCS member_joined_channel] private channel created before 2021 -> channel_type "G", G-prefixed id
_add(
    "member_joined_channel_private_G",
    "event",
    _envelope(
        {
            "type": "member_joined_channel",
            "user": USER2_ID,
            "channel": "G0001",
            "channel_type": "G",
            "team": TEAM_ID,
            "inviter": USER_ID,
            "event_ts": "1717000102.000200",
        },
        "Ev0001MJC003",
        1717000102,
    ),
)

# [DOCS member_joined_channel] Grid, human W user joined, inviter W user
_add(
    "member_joined_channel_grid_w_user",
    "event",
    _envelope(
        {
            "type": "member_joined_channel",
            "user": GRID_USER2_ID,
            "channel": CHANNEL_ID,
            "channel_type": "C",
            "team": TEAM_ID,
            "inviter": GRID_USER_ID,
            "enterprise": ENTERPRISE_ID,
            "event_ts": "1717000103.000200",
        },
        "Ev0001MJC004",
        1717000103,
        enterprise_id=ENTERPRISE_ID,
        context_enterprise_id=ENTERPRISE_ID,
        authorizations=[_auth(TEAM_ID, ENTERPRISE_ID)],
    ),
)

# composed from [DOCS member_joined_channel] + [BP test_events_shared_channels] + [BP test_internals]:
# Slack Connect partner user joins a shared channel -> event.team/enterprise = partner org,
# envelope team_id/enterprise_id = partner org, context_* / authorizations = installing org
_add(
    "member_joined_channel_slack_connect_partner",
    "event",
    _envelope(
        {
            "type": "member_joined_channel",
            "user": EXT_USER_ID,
            "channel": CHANNEL_ID,
            "channel_type": "C",
            "team": EXT_TEAM_ID,
            "inviter": USER_ID,
            "enterprise": EXT_ENTERPRISE_ID,
            "event_ts": "1717000104.000200",
        },
        "Ev0001MJC005",
        1717000104,
        team_id=EXT_TEAM_ID,
        enterprise_id=EXT_ENTERPRISE_ID,
        context_team_id=TEAM_ID,
        context_enterprise_id=None,
        authorizations=[_auth(TEAM_ID, None)],
        is_ext_shared_channel=True,
    ),
)

# [BP test_events_shared_channels test_self_member_join_left_events] verbatim structure:
# envelope from the source org, event.team = installed team, no event_ts/event_context, Grid on both sides
_add(
    "member_joined_channel_shared_bp_literal",
    "event",
    {
        "token": TOKEN,
        "team_id": EXT_TEAM_ID,
        "enterprise_id": EXT_ENTERPRISE_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "member_joined_channel",
            "user": BOT_USER_ID,
            "channel": CHANNEL_ID,
            "channel_type": "C",
            "team": TEAM_ID,
            "inviter": USER2_ID,
        },
        "type": "event_callback",
        "event_id": "Ev0001MJC006",
        "event_time": 1717000105,
        "authorizations": [_auth(TEAM_ID, ENTERPRISE_ID)],
    },
)

# [DOCS member_left_channel]
_add(
    "member_left_channel_plain",
    "event",
    _envelope(
        {
            "type": "member_left_channel",
            "user": USER2_ID,
            "channel": CHANNEL_ID,
            "channel_type": "C",
            "team": TEAM_ID,
            "event_ts": "1717000110.000300",
        },
        "Ev0001MLC001",
        1717000110,
    ),
)

# [DOCS member_left_channel] Grid W user (W ids are what the docs example uses)
_add(
    "member_left_channel_grid_w_user",
    "event",
    _envelope(
        {
            "type": "member_left_channel",
            "user": GRID_USER2_ID,
            "channel": CHANNEL_ID,
            "channel_type": "C",
            "team": TEAM_ID,
            "enterprise": ENTERPRISE_ID,
            "event_ts": "1717000111.000300",
        },
        "Ev0001MLC002",
        1717000111,
        enterprise_id=ENTERPRISE_ID,
        context_enterprise_id=ENTERPRISE_ID,
        authorizations=[_auth(TEAM_ID, ENTERPRISE_ID)],
    ),
)

# composed (as member_joined_channel_slack_connect_partner): partner user leaves shared channel
_add(
    "member_left_channel_slack_connect_partner",
    "event",
    _envelope(
        {
            "type": "member_left_channel",
            "user": EXT_USER_ID,
            "channel": CHANNEL_ID,
            "channel_type": "C",
            "team": EXT_TEAM_ID,
            "enterprise": EXT_ENTERPRISE_ID,
            "event_ts": "1717000112.000300",
        },
        "Ev0001MLC003",
        1717000112,
        team_id=EXT_TEAM_ID,
        enterprise_id=EXT_ENTERPRISE_ID,
        context_team_id=TEAM_ID,
        context_enterprise_id=None,
        authorizations=[_auth(TEAM_ID, None)],
        is_ext_shared_channel=True,
    ),
)

# [BP test_events_shared_channels] literal: the bot itself removed, no event_ts
_add(
    "member_left_channel_shared_bp_literal",
    "event",
    {
        "token": TOKEN,
        "team_id": EXT_TEAM_ID,
        "enterprise_id": EXT_ENTERPRISE_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "member_left_channel",
            "user": BOT_USER_ID,
            "channel": CHANNEL_ID,
            "channel_type": "C",
            "team": TEAM_ID,
        },
        "type": "event_callback",
        "event_id": "Ev0001MLC004",
        "event_time": 1717000113,
        "authorizations": [_auth(TEAM_ID, ENTERPRISE_ID)],
    },
)

# =============================================================================================
# 3. team_join / user_change / app_home_opened
# =============================================================================================

# team_join with the [GO] user object (event fields per [JV TeamJoinPayload]); no event_context
_add(
    "team_join_human",
    "event",
    _envelope(
        {
            "type": "team_join",
            "user": _user_object(USER2_ID, name="new-user", real_name="New User"),
            "event_ts": "1717000200.000100",
        },
        "Ev0001TJ0001",
        1717000200,
        event_context=None,
    ),
)

# team_join on Grid: W id + enterprise_user block ([JV TeamJoinPayload] field names)
_add(
    "team_join_grid_w_user",
    "event",
    _envelope(
        {
            "type": "team_join",
            "user": _user_object(
                GRID_USER2_ID,
                is_invited_user=False,
                enterprise_user={
                    "id": GRID_USER2_ID,
                    "enterprise_id": ENTERPRISE_ID,
                    "enterprise_name": "Acme Corp",
                    "is_admin": False,
                    "is_owner": False,
                    "is_primary_owner": False,
                    "teams": [TEAM_ID],
                },
            ),
            "event_ts": "1717000201.000100",
        },
        "Ev0001TJ0002",
        1717000201,
        enterprise_id=ENTERPRISE_ID,
        context_enterprise_id=ENTERPRISE_ID,
        authorizations=[_auth(TEAM_ID, ENTERPRISE_ID)],
        event_context=None,
    ),
)

# team_join of a bot user (app installed): is_bot true, profile.bot_id/api_app_id/always_active
# (field names from [JV TeamJoinPayload]); composed
_bot_user = _user_object("U0097", name="other-app", real_name="other-app", is_bot=True, tz="America/Los_Angeles")
_bot_user["profile"].update(
    {
        "bot_id": OTHER_BOT_ID,
        "api_app_id": OTHER_APP_ID,
        "always_active": True,
        "status_text": "",
        "status_emoji": "",
        "first_name": "other-app",
        "last_name": "",
    }
)
_add(
    "team_join_bot_user",
    "event",
    _envelope(
        {
            "type": "team_join",
            "user": _bot_user,
            "event_ts": "1717000202.000100",
        },
        "Ev0001TJ0003",
        1717000202,
        event_context=None,
    ),
)

# [GO TestUserChangeEvent] user_change incl. cache_ts
_add(
    "user_change_status",
    "event",
    _envelope(
        {
            "user": _user_object(USER_ID),
            "cache_ts": 1717000210,
            "type": "user_change",
            "event_ts": "1717000210.000001",
        },
        "Ev0001UC0001",
        1717000210,
        event_context=None,
    ),
)

# user_change for a deactivated account: same [GO] user object with deleted: true (composed)
_add(
    "user_change_deactivated",
    "event",
    _envelope(
        {
            "user": _user_object(USER2_ID, deleted=True),
            "cache_ts": 1717000211,
            "type": "user_change",
            "event_ts": "1717000211.000001",
        },
        "Ev0001UC0002",
        1717000211,
        event_context=None,
    ),
)

# user_change for a guest on Grid (W id, is_restricted)
_add(
    "user_change_grid_guest",
    "event",
    _envelope(
        {
            "user": _user_object(GRID_USER2_ID, is_restricted=True, is_ultra_restricted=True),
            "cache_ts": 1717000212,
            "type": "user_change",
            "event_ts": "1717000212.000001",
        },
        "Ev0001UC0003",
        1717000212,
        enterprise_id=ENTERPRISE_ID,
        context_enterprise_id=ENTERPRISE_ID,
        authorizations=[_auth(TEAM_ID, ENTERPRISE_ID)],
        event_context=None,
    ),
)

# [HS app_home_opened_messages] REAL - Messages tab, no view; envelope has no event_context/context_*
_add(
    "app_home_opened_messages_tab",
    "event",
    {
        "token": TOKEN,
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "app_home_opened",
            "user": USER_ID,
            "channel": DM_CHANNEL_ID,
            "tab": "messages",
            "event_ts": "1717000300.659101",
        },
        "type": "event_callback",
        "event_id": "Ev0001AHO001",
        "event_time": 1717000300,
        "authorizations": [_auth()],
        "is_ext_shared_channel": False,
    },
)

# [HS app_home_opened_home] REAL - Home tab never published yet -> no `view`
_add(
    "app_home_opened_home_tab_no_view",
    "event",
    {
        "token": TOKEN,
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "app_home_opened",
            "user": USER_ID,
            "channel": DM_CHANNEL_ID,
            "tab": "home",
            "event_ts": "1717000301.556817",
        },
        "type": "event_callback",
        "event_id": "Ev0001AHO002",
        "event_time": 1717000301,
        "authorizations": [_auth()],
        "is_ext_shared_channel": False,
    },
)

# [DOCS app_home_opened] Home tab with `view` (published before); view body shaped like the views.publish
# response (close/submit null, state.values {}, previous_view_id null, title) [HS PublishResp / HOME]
_add(
    "app_home_opened_home_tab_with_view",
    "event",
    _envelope(
        {
            "type": "app_home_opened",
            "user": USER_ID,
            "channel": DM_CHANNEL_ID,
            "event_ts": "1717000302.000016",
            "tab": "home",
            "view": {
                "id": VIEW_ID,
                "team_id": TEAM_ID,
                "type": "home",
                "blocks": [
                    {
                        "type": "section",
                        "block_id": "2WGp9",
                        "text": {
                            "type": "mrkdwn",
                            "text": "A simple section with some sample sentence.",
                            "verbatim": False,
                        },
                    }
                ],
                "private_metadata": "",
                "callback_id": "",
                "state": {"values": {}},
                "hash": "1717000290.1827394",
                "title": {"type": "plain_text", "text": "View Title", "emoji": True},
                "clear_on_close": False,
                "notify_on_close": False,
                "close": None,
                "submit": None,
                "previous_view_id": None,
                "root_view_id": VIEW_ID,
                "app_id": APP_ID,
                "external_id": "",
                "app_installed_team_id": TEAM_ID,
                "bot_id": BOT_ID,
            },
        },
        "Ev0001AHO003",
        1717000302,
        event_context=None,
    ),
)

# [BP test_events_org_apps test_app_home_opened] - org-wide install, W user, authorizations.team_id null
_add(
    "app_home_opened_grid_org_install",
    "event",
    {
        "token": TOKEN,
        "team_id": TEAM_ID,
        "enterprise_id": ENTERPRISE_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "app_home_opened",
            "user": GRID_USER_ID,
            "channel": DM_CHANNEL_ID,
            "tab": "messages",
            "event_ts": "1717000303.510671",
        },
        "type": "event_callback",
        "event_id": "Ev0001AHO004",
        "event_time": 1717000303,
        "authorizations": [_auth(None, ENTERPRISE_ID, GRID_USER2_ID, is_enterprise_install=True)],
        "is_ext_shared_channel": False,
    },
)

# =============================================================================================
# 4. interactivity payloads (value of the `payload` form field)
# =============================================================================================

_MSG_WITH_BUTTON = {
    # [VC modals action] message the button lives in
    "user": BOT_USER_ID,
    "type": "message",
    "ts": "1717000400.503009",
    "bot_id": BOT_ID,
    "app_id": APP_ID,
    "text": "*:wave: Welcome!* I'm now listening to this thread.",
    "team": TEAM_ID,
    "thread_ts": "1717000399.940449",
    "parent_user_id": USER_ID,
    "blocks": [
        {
            "type": "header",
            "block_id": "jJQhN",
            "text": {"type": "plain_text", "text": ":wave: Welcome!", "emoji": True},
        },
        {
            "type": "actions",
            "block_id": "XH72R",
            "elements": [
                {
                    "type": "button",
                    "action_id": "feedback",
                    "text": {"type": "plain_text", "text": "Send Feedback", "emoji": True},
                }
            ],
        },
    ],
}

# [VC modals action] REAL - button click in a channel message
_add(
    "block_actions_button_in_message",
    "interactive",
    {
        "type": "block_actions",
        "user": {"id": USER_ID, "username": "jane.smith", "name": "jane.smith", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "container": {
            "type": "message",
            "message_ts": "1717000400.503009",
            "channel_id": CHANNEL_ID,
            "is_ephemeral": False,
            "thread_ts": "1717000399.940449",
        },
        "trigger_id": "10367455086084.10229338706656.e675a0c0dacc24a1f7b84a7a426d1197",
        "team": {"id": TEAM_ID, "domain": "acme-test-workspace"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": CHANNEL_ID, "name": "general"},
        "message": copy.deepcopy(_MSG_WITH_BUTTON),
        "state": {"values": {}},
        "response_url": "https://hooks.slack.com/actions/T0001/10348409316023/sPe1cI1jl72ZPyKpdJYaBV9s",
        "actions": [
            {
                "action_id": "feedback",
                "block_id": "XH72R",
                "text": {"type": "plain_text", "text": "Send Feedback", "emoji": True},
                "type": "button",
                "action_ts": "1717000401.113300",
            }
        ],
    },
)

# [VC modals ephemeralAction] REAL - button in an ephemeral message: NO `message` key
_add(
    "block_actions_button_in_ephemeral",
    "interactive",
    {
        "type": "block_actions",
        "user": {"id": USER_ID, "username": "jane.smith", "name": "jane.smith", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "container": {
            "type": "message",
            "message_ts": "1717000410.000200",
            "channel_id": CHANNEL_ID,
            "is_ephemeral": True,
            "thread_ts": "1717000399.940449",
        },
        "trigger_id": "10541689532400.10229338706656.500e194be18c7e17dd828032cc9a769f",
        "team": {"id": TEAM_ID, "domain": "acme-test-workspace"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": CHANNEL_ID, "name": "general"},
        "state": {"values": {}},
        "response_url": "https://hooks.slack.com/actions/T0001/10497963005175/6JXlnuaOBOquTvi51uTnoFgi",
        "actions": [
            {
                "action_id": "ephemeral_modal",
                "block_id": "g/2hQ",
                "text": {"type": "plain_text", "text": "Open Modal", "emoji": True},
                "style": "primary",
                "type": "button",
                "action_ts": "1717000411.436992",
            }
        ],
    },
)

# [VC actions-reactions staticSelectAction] REAL (no enterprise / is_enterprise_install / state keys in
# this capture, minimal `message`)
_add(
    "block_actions_static_select_in_message",
    "interactive",
    {
        "type": "block_actions",
        "user": {"id": USER_ID, "username": "testuser", "name": "testuser", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "container": {
            "type": "message",
            "message_ts": "1717000420.896109",
            "channel_id": CHANNEL_ID,
            "is_ephemeral": False,
            "thread_ts": "1717000419.870439",
        },
        "trigger_id": "10215325802133.3901254001572.staticselect123",
        "team": {"id": TEAM_ID, "domain": "acme-test-workspace"},
        "channel": {"id": CHANNEL_ID, "name": "general"},
        "message": {
            "user": BOT_USER_ID,
            "type": "message",
            "ts": "1717000420.896109",
            "thread_ts": "1717000419.870439",
        },
        "actions": [
            {
                "type": "static_select",
                "action_id": "quick_action",
                "block_id": "ikh4M",
                "selected_option": {
                    "text": {"type": "plain_text", "text": "Say Hello", "emoji": True},
                    "value": "greet",
                },
                "placeholder": {"type": "plain_text", "text": "Choose...", "emoji": True},
                "action_ts": "1717000421.289415",
            }
        ],
        "response_url": "https://hooks.slack.com/actions/T0001/10231680918177/staticSelectExample",
    },
)

_FORM_BLOCKS = [
    # a message (or modal) containing the element types whose "empty" value is null
    {
        "type": "actions",
        "block_id": "sel_blk",
        "elements": [
            {
                "type": "static_select",
                "action_id": "priority",
                "placeholder": {"type": "plain_text", "text": "Priority", "emoji": True},
                "options": [
                    {"text": {"type": "plain_text", "text": "High", "emoji": True}, "value": "high"},
                    {"text": {"type": "plain_text", "text": "Low", "emoji": True}, "value": "low"},
                ],
            },
            {
                "type": "datepicker",
                "action_id": "due_date",
                "placeholder": {"type": "plain_text", "text": "Select a date", "emoji": True},
            },
            {
                "type": "timepicker",
                "action_id": "due_time",
                "placeholder": {"type": "plain_text", "text": "Select time", "emoji": True},
            },
        ],
    },
    {
        "type": "input",
        "block_id": "note_blk",
        "dispatch_action": True,
        "optional": True,
        "label": {"type": "plain_text", "text": "Note", "emoji": True},
        "element": {
            "type": "plain_text_input",
            "action_id": "note",
            "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]},
        },
    },
    {
        "type": "section",
        "block_id": "who_blk",
        "text": {"type": "mrkdwn", "text": "Invite", "verbatim": False},
        "accessory": {
            "type": "multi_users_select",
            "action_id": "invitees",
            "placeholder": {"type": "plain_text", "text": "Select users", "emoji": True},
        },
    },
]

_NULL_STATE = {
    # [CAL] captured state: static_select with option, multi_users_select [], datepicker null, timepicker null
    # [BJS] plain_text_input value null, radio_buttons selected_option null
    "values": {
        "sel_blk": {
            "priority": {"type": "static_select", "selected_option": None},
            "due_date": {"type": "datepicker", "selected_date": None},
            "due_time": {"type": "timepicker", "selected_time": None},
        },
        "note_blk": {"note": {"type": "plain_text_input", "value": None}},
        "who_blk": {"invitees": {"type": "multi_users_select", "selected_users": []}},
    }
}

# composed from [VC] message envelope + [CAL]/[BJS] null state + [DOCS block_actions] "deselecting the
# currently selected option ... will return a null value": static_select deselected in a message
_add(
    "block_actions_static_select_deselected_null_state",
    "interactive",
    {
        "type": "block_actions",
        "user": {"id": USER_ID, "username": "jane.smith", "name": "jane.smith", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "container": {
            "type": "message",
            "message_ts": "1717000430.000100",
            "channel_id": CHANNEL_ID,
            "is_ephemeral": False,
        },
        "trigger_id": "10367455086085.10229338706656.aa75a0c0dacc24a1f7b84a7a426d1198",
        "team": {"id": TEAM_ID, "domain": "acme-test-workspace"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": CHANNEL_ID, "name": "general"},
        "message": {
            "user": BOT_USER_ID,
            "type": "message",
            "ts": "1717000430.000100",
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "text": "Fill this in",
            "team": TEAM_ID,
            "blocks": copy.deepcopy(_FORM_BLOCKS),
        },
        "state": copy.deepcopy(_NULL_STATE),
        "response_url": "https://hooks.slack.com/actions/T0001/10348409316024/aPe1cI1jl72ZPyKpdJYaBV9t",
        "actions": [
            {
                "type": "static_select",
                "action_id": "priority",
                "block_id": "sel_blk",
                "selected_option": None,
                "placeholder": {"type": "plain_text", "text": "Priority", "emoji": True},
                "action_ts": "1717000431.289415",
            }
        ],
    },
)

# same, but the action is the plain_text_input dispatch (enter pressed on an empty field -> value null)
_add(
    "block_actions_plain_text_input_dispatch_null",
    "interactive",
    {
        "type": "block_actions",
        "user": {"id": USER_ID, "username": "jane.smith", "name": "jane.smith", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "container": {
            "type": "message",
            "message_ts": "1717000430.000100",
            "channel_id": CHANNEL_ID,
            "is_ephemeral": False,
        },
        "trigger_id": "10367455086086.10229338706656.bb75a0c0dacc24a1f7b84a7a426d1199",
        "team": {"id": TEAM_ID, "domain": "acme-test-workspace"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": CHANNEL_ID, "name": "general"},
        "message": {
            "user": BOT_USER_ID,
            "type": "message",
            "ts": "1717000430.000100",
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "text": "Fill this in",
            "team": TEAM_ID,
            "blocks": copy.deepcopy(_FORM_BLOCKS),
        },
        "state": copy.deepcopy(_NULL_STATE),
        "response_url": "https://hooks.slack.com/actions/T0001/10348409316025/bPe1cI1jl72ZPyKpdJYaBV9u",
        "actions": [
            {
                "type": "plain_text_input",
                "block_id": "note_blk",
                "action_id": "note",
                "value": None,
                "action_ts": "1717000432.289415",
            }
        ],
    },
)

_MODAL_VIEW = {
    "id": VIEW_ID,
    "team_id": TEAM_ID,
    "type": "modal",
    "blocks": copy.deepcopy(_FORM_BLOCKS),
    "private_metadata": "",
    "callback_id": "task_modal",
    "state": copy.deepcopy(_NULL_STATE),
    "hash": "1717000440.YVocmHYs",
    "title": {"type": "plain_text", "text": "New task", "emoji": True},
    "clear_on_close": False,
    "notify_on_close": False,
    "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
    "submit": {"type": "plain_text", "text": "Save", "emoji": True},
    "previous_view_id": None,
    "root_view_id": VIEW_ID,
    "app_id": APP_ID,
    "external_id": "",
    "app_installed_team_id": TEAM_ID,
    "bot_id": BOT_ID,
}

# [HOME]/chiefonboarding-style capture: datepicker changed inside a MODAL -> container.type "view",
# `view` present, NO channel / message / response_url
_add(
    "block_actions_datepicker_in_modal",
    "interactive",
    {
        "type": "block_actions",
        "user": {"id": USER_ID, "username": "jane.smith", "name": "jane.smith", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "container": {"type": "view", "view_id": VIEW_ID},
        "trigger_id": "7193711691442.255442617559.d1e61ec0c5883a55f2a93d9fb71a4838",
        "team": {"id": TEAM_ID, "domain": "acme-test-workspace"},
        "enterprise": None,
        "is_enterprise_install": False,
        "view": copy.deepcopy(_MODAL_VIEW),
        "actions": [
            {
                "type": "datepicker",
                "action_id": "due_date",
                "block_id": "sel_blk",
                "selected_date": "2024-06-01",
                "placeholder": {"type": "plain_text", "text": "Select a date", "emoji": True},
                "action_ts": "1717000441.933609",
            }
        ],
    },
)

# [HOME] REAL capture (re-id'd): multi_external_select in the App Home tab; view.type "home",
# close/submit null, previous_view_id null
_add(
    "block_actions_home_tab_multi_external_select",
    "interactive",
    {
        "type": "block_actions",
        "user": {"id": USER_ID, "username": "jane.smith", "name": "jane.smith", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "container": {"type": "view", "view_id": "V0002"},
        "trigger_id": "7193711691443.255442617559.e1e61ec0c5883a55f2a93d9fb71a4839",
        "team": {"id": TEAM_ID, "domain": "acme-test-workspace"},
        "enterprise": None,
        "is_enterprise_install": False,
        "view": {
            "id": "V0002",
            "team_id": TEAM_ID,
            "type": "home",
            "blocks": [
                {
                    "type": "header",
                    "block_id": "ep6R5",
                    "text": {"type": "plain_text", "text": "Welcome", "emoji": True},
                },
                {"type": "divider", "block_id": "xOwmu"},
                {
                    "type": "section",
                    "block_id": "section678",
                    "text": {"type": "mrkdwn", "text": "Select conversations.", "verbatim": False},
                    "accessory": {
                        "type": "multi_external_select",
                        "action_id": "select_conversations",
                        "placeholder": {"type": "plain_text", "text": "Select items", "emoji": True},
                        "min_query_length": 1,
                    },
                },
                {
                    "type": "actions",
                    "block_id": "actions1",
                    "elements": [
                        {
                            "type": "datepicker",
                            "action_id": "startdate_picked",
                            "initial_date": "2024-01-01",
                            "placeholder": {"type": "plain_text", "text": "Select a date", "emoji": True},
                        }
                    ],
                },
            ],
            "private_metadata": "",
            "callback_id": "home_view",
            "state": {
                "values": {
                    "actions1": {"startdate_picked": {"type": "datepicker", "selected_date": "2024-01-01"}},
                    "section678": {
                        "select_conversations": {
                            "type": "multi_external_select",
                            "selected_options": [
                                {"text": {"type": "plain_text", "text": "# social", "emoji": True}, "value": "social"}
                            ],
                        }
                    },
                }
            },
            "hash": "1717000450.7yiVYWT4",
            "title": {"type": "plain_text", "text": "View Title", "emoji": True},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            "previous_view_id": None,
            "root_view_id": "V0002",
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        },
        "actions": [
            {
                "type": "multi_external_select",
                "action_id": "select_conversations",
                "block_id": "section678",
                "selected_options": [
                    {"text": {"type": "plain_text", "text": "# social", "emoji": True}, "value": "social"}
                ],
                "initial_options": [],
                "placeholder": {"type": "plain_text", "text": "Select items", "emoji": True},
                "action_ts": "1717000451.933609",
            }
        ],
    },
)

# [BP test_block_actions] - Grid workspace: team has enterprise_id/enterprise_name, W user,
# ephemeral container, no `message`, no `state`
_add(
    "block_actions_grid_ephemeral_bp",
    "interactive",
    {
        "type": "block_actions",
        "user": {"id": GRID_USER_ID, "username": "primary-owner", "name": "primary-owner", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "container": {
            "type": "message",
            "message_ts": "1717000460.000100",
            "channel_id": CHANNEL_ID,
            "is_ephemeral": True,
        },
        "trigger_id": "111.222.valid",
        "team": {
            "id": TEAM_ID,
            "domain": "workspace-domain",
            "enterprise_id": ENTERPRISE_ID,
            "enterprise_name": "Sandbox Org",
        },
        "channel": {"id": CHANNEL_ID, "name": "test-channel"},
        "response_url": "https://hooks.slack.com/actions/T0001/111/random-value",
        "actions": [
            {
                "action_id": "a",
                "block_id": "b",
                "text": {"type": "plain_text", "text": "Button", "emoji": True},
                "value": "click_me_123",
                "type": "button",
                "action_ts": "1717000461.194939",
            }
        ],
    },
)

# composed: view_submission with every kind of empty optional input (nulls / []), private_metadata ""
# (shape = [VC modals viewSubmission]; null values per [BJS view.test-d.ts] and [CAL])
_sub_view = copy.deepcopy(_MODAL_VIEW)
_sub_view["blocks"] = [
    {
        "type": "input",
        "block_id": "title_blk",
        "optional": False,
        "dispatch_action": False,
        "label": {"type": "plain_text", "text": "Title", "emoji": True},
        "element": {"type": "plain_text_input", "action_id": "title", "multiline": False},
    },
    {
        "type": "input",
        "block_id": "desc_blk",
        "optional": True,
        "dispatch_action": False,
        "label": {"type": "plain_text", "text": "Description", "emoji": True},
        "element": {"type": "plain_text_input", "action_id": "desc", "multiline": True},
    },
    {
        "type": "input",
        "block_id": "prio_blk",
        "optional": True,
        "dispatch_action": False,
        "label": {"type": "plain_text", "text": "Priority", "emoji": True},
        "element": {
            "type": "static_select",
            "action_id": "prio",
            "options": [{"text": {"type": "plain_text", "text": "High", "emoji": True}, "value": "high"}],
        },
    },
    {
        "type": "input",
        "block_id": "date_blk",
        "optional": True,
        "dispatch_action": False,
        "label": {"type": "plain_text", "text": "Due", "emoji": True},
        "element": {"type": "datepicker", "action_id": "due"},
    },
    {
        "type": "input",
        "block_id": "radio_blk",
        "optional": True,
        "dispatch_action": False,
        "label": {"type": "plain_text", "text": "Kind", "emoji": True},
        "element": {
            "type": "radio_buttons",
            "action_id": "kind",
            "options": [{"text": {"type": "plain_text", "text": "Bug", "emoji": True}, "value": "bug"}],
        },
    },
    {
        "type": "input",
        "block_id": "tags_blk",
        "optional": True,
        "dispatch_action": False,
        "label": {"type": "plain_text", "text": "Tags", "emoji": True},
        "element": {
            "type": "multi_static_select",
            "action_id": "tags",
            "options": [{"text": {"type": "plain_text", "text": "x", "emoji": True}, "value": "x"}],
        },
    },
    {
        "type": "input",
        "block_id": "chk_blk",
        "optional": True,
        "dispatch_action": False,
        "label": {"type": "plain_text", "text": "Flags", "emoji": True},
        "element": {
            "type": "checkboxes",
            "action_id": "flags",
            "options": [{"text": {"type": "plain_text", "text": "Urgent", "emoji": True}, "value": "urgent"}],
        },
    },
    {
        "type": "input",
        "block_id": "conv_blk",
        "optional": True,
        "dispatch_action": False,
        "label": {"type": "plain_text", "text": "Post to", "emoji": True},
        "element": {"type": "conversations_select", "action_id": "conv"},
    },
    {
        "type": "input",
        "block_id": "user_blk",
        "optional": True,
        "dispatch_action": False,
        "label": {"type": "plain_text", "text": "Assignee", "emoji": True},
        "element": {"type": "users_select", "action_id": "assignee"},
    },
]
_sub_view["callback_id"] = "task_modal"
_sub_view["private_metadata"] = ""
_sub_view["state"] = {
    "values": {
        "title_blk": {"title": {"type": "plain_text_input", "value": "Fix the thing"}},
        "desc_blk": {"desc": {"type": "plain_text_input", "value": None}},
        "prio_blk": {"prio": {"type": "static_select", "selected_option": None}},
        "date_blk": {"due": {"type": "datepicker", "selected_date": None}},
        "radio_blk": {"kind": {"type": "radio_buttons", "selected_option": None}},
        "tags_blk": {"tags": {"type": "multi_static_select", "selected_options": []}},
        "chk_blk": {"flags": {"type": "checkboxes", "selected_options": []}},
        "conv_blk": {"conv": {"type": "conversations_select", "selected_conversation": None}},
        "user_blk": {"assignee": {"type": "users_select", "selected_user": None}},
    }
}
_add(
    "view_submission_optional_inputs_null",
    "interactive",
    {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "acme-test-workspace"},
        "user": {"id": USER_ID, "username": "jane.smith", "name": "jane.smith", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "trigger_id": "10348409668983.10229338706656.91080fe083940dcea332270e757368a5",
        "view": _sub_view,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    },
)

# [VC modals viewSubmission] REAL - all fields filled, private_metadata is an opaque string
_add(
    "view_submission_filled_vc",
    "interactive",
    {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "acme-test-workspace"},
        "user": {"id": USER_ID, "username": "jane.smith", "name": "jane.smith", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "trigger_id": "10348409668984.10229338706656.91080fe083940dcea332270e757368a6",
        "view": {
            "id": "V0003",
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": [
                {
                    "type": "input",
                    "block_id": "message",
                    "label": {"type": "plain_text", "text": "Your Feedback", "emoji": True},
                    "optional": False,
                    "dispatch_action": False,
                    "element": {
                        "type": "plain_text_input",
                        "action_id": "message",
                        "placeholder": {"type": "plain_text", "text": "Tell us what you think...", "emoji": True},
                        "multiline": True,
                    },
                },
                {
                    "type": "input",
                    "block_id": "category",
                    "label": {"type": "plain_text", "text": "Category", "emoji": True},
                    "optional": False,
                    "dispatch_action": False,
                    "element": {
                        "type": "static_select",
                        "action_id": "category",
                        "placeholder": {"type": "plain_text", "text": "Select a category", "emoji": True},
                        "options": [
                            {"text": {"type": "plain_text", "text": "Bug Report", "emoji": True}, "value": "bug"},
                            {
                                "text": {"type": "plain_text", "text": "Feature Request", "emoji": True},
                                "value": "feature",
                            },
                        ],
                    },
                },
                {
                    "type": "input",
                    "block_id": "email",
                    "label": {"type": "plain_text", "text": "Email (optional)", "emoji": True},
                    "optional": True,
                    "dispatch_action": False,
                    "element": {
                        "type": "plain_text_input",
                        "action_id": "email",
                        "placeholder": {"type": "plain_text", "text": "your@email.com", "emoji": True},
                        "multiline": False,
                    },
                },
            ],
            "private_metadata": '{"c":"40949e29-3f28-4d70-964a-f334eb40c5d7"}',
            "callback_id": "feedback_form",
            "state": {
                "values": {
                    "message": {"message": {"type": "plain_text_input", "value": "Hello!"}},
                    "category": {
                        "category": {
                            "type": "static_select",
                            "selected_option": {
                                "text": {"type": "plain_text", "text": "Feature Request", "emoji": True},
                                "value": "feature",
                            },
                        }
                    },
                    "email": {"email": {"type": "plain_text_input", "value": "user@example.com"}},
                }
            },
            "hash": "1717000470.RiIIx55y",
            "title": {"type": "plain_text", "text": "Send Feedback", "emoji": True},
            "clear_on_close": False,
            "notify_on_close": True,
            "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
            "submit": {"type": "plain_text", "text": "Send", "emoji": True},
            "previous_view_id": None,
            "root_view_id": "V0003",
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    },
)

# [BP test_view_submission response_url_payload_body] - response_urls populated (response_url_enabled select),
# view.state is {} (no "values" key!) and blocks []
_add(
    "view_submission_with_response_urls_empty_state",
    "interactive",
    {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "test-test-test"},
        "user": {"id": USER_ID, "username": "test-test-test", "name": "test-test-test", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "trigger_id": "111.222.xxx",
        "view": {
            "id": "V0004",
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": [],
            "callback_id": "view-id",
            "state": {},
            "title": {"type": "plain_text", "text": "My App"},
            "close": {"type": "plain_text", "text": "Cancel"},
            "submit": {"type": "plain_text", "text": "Submit"},
            "previous_view_id": None,
            "root_view_id": "V0004",
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        },
        "response_urls": [
            {
                "block_id": "b",
                "action_id": "a",
                "channel_id": CHANNEL_ID,
                "response_url": "https://hooks.slack.com/app/T0001/1111/xxxx",
            }
        ],
        "is_enterprise_install": False,
    },
)

# [BP test_view_submission connect_channel_payload] - submitted by a Slack Connect partner user:
# team = partner org, view.app_installed_team_id = our team, top-level `enterprise`, NO response_urls,
# private_metadata "", no previous_view_id/clear_on_close keys
_add(
    "view_submission_slack_connect_partner",
    "interactive",
    {
        "type": "view_submission",
        "team": {
            "id": EXT_TEAM_ID,
            "domain": "other-side",
            "enterprise_id": EXT_ENTERPRISE_ID,
            "enterprise_name": "Partner Org",
        },
        "user": {"id": EXT_USER_ID, "username": "kaz", "name": "kaz", "team_id": EXT_TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "trigger_id": "111.222.xxx",
        "view": {
            "id": "V0005",
            "team_id": EXT_TEAM_ID,
            "type": "modal",
            "blocks": [
                {
                    "type": "input",
                    "block_id": "zniAM",
                    "label": {"type": "plain_text", "text": "Label"},
                    "element": {
                        "type": "plain_text_input",
                        "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]},
                        "action_id": "qEJr",
                    },
                }
            ],
            "private_metadata": "",
            "callback_id": "view-id",
            "state": {"values": {"zniAM": {"qEJr": {"type": "plain_text_input", "value": "Hi there!"}}}},
            "hash": "1717000480.CmTS8F7U",
            "title": {"type": "plain_text", "text": "My App"},
            "close": {"type": "plain_text", "text": "Cancel"},
            "submit": {"type": "plain_text", "text": "Submit"},
            "root_view_id": "V0005",
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        },
        "enterprise": {"id": EXT_ENTERPRISE_ID, "name": "Partner Org"},
    },
)

# composed from [DOCS view payload table: "team ... Null if the app is org-installed"] + [JV ViewSubmission
# fields]: org-wide install -> team null, enterprise object, is_enterprise_install true, W user
_org_view = copy.deepcopy(_MODAL_VIEW)
_org_view["state"] = {"values": {"note_blk": {"note": {"type": "plain_text_input", "value": "ok"}}}}
_add(
    "view_submission_grid_org_install_team_null",
    "interactive",
    {
        "type": "view_submission",
        "team": None,
        "user": {"id": GRID_USER_ID, "username": "primary-owner", "name": "primary-owner", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "trigger_id": "10348409668985.10229338706656.91080fe083940dcea332270e757368a7",
        "view": _org_view,
        "response_urls": [],
        "is_enterprise_install": True,
        "enterprise": {"id": ENTERPRISE_ID, "name": "Acme Corp"},
    },
)

# [JV slack-app-backend ViewClosedPayloadTest] REAL-ish: close null, notify_on_close true, is_cleared false,
# no enterprise / is_enterprise_install
_add(
    "view_closed_jv",
    "interactive",
    {
        "type": "view_closed",
        "team": {"id": TEAM_ID, "domain": "domain"},
        "user": {"id": USER_ID, "username": "username", "name": "username", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "view": {
            "id": "V0006",
            "team_id": TEAM_ID,
            "type": "modal",
            "title": {"type": "plain_text", "text": "Title", "emoji": True},
            "close": None,
            "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
            "blocks": [],
            "private_metadata": "",
            "callback_id": "modal-callback-id",
            "state": {"values": {}},
            "hash": "random",
            "clear_on_close": False,
            "notify_on_close": True,
            "root_view_id": "V0006",
            "previous_view_id": None,
            "app_id": APP_ID,
            "external_id": "",
            "bot_id": BOT_ID,
        },
        "is_cleared": False,
    },
)

# [BP test_view_closed] Grid workspace, no is_cleared key, response_urls [], plus is_cleared true variant
_add(
    "view_closed_grid_bp",
    "interactive",
    {
        "type": "view_closed",
        "team": {
            "id": TEAM_ID,
            "domain": "workspace-domain",
            "enterprise_id": ENTERPRISE_ID,
            "enterprise_name": "Sandbox Org",
        },
        "user": {"id": GRID_USER_ID, "username": "primary-owner", "name": "primary-owner", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": TOKEN,
        "view": {
            "id": "V0007",
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": [
                {
                    "type": "input",
                    "block_id": "hspI",
                    "label": {"type": "plain_text", "text": "Label"},
                    "optional": False,
                    "element": {"type": "plain_text_input", "action_id": "maBWU"},
                }
            ],
            "private_metadata": "This is for you!",
            "callback_id": "view-id",
            "state": {"values": {}},
            "hash": "1717000490.3wRYuk3R",
            "title": {"type": "plain_text", "text": "My App"},
            "clear_on_close": False,
            "notify_on_close": True,
            "close": {"type": "plain_text", "text": "Cancel"},
            "submit": {"type": "plain_text", "text": "Submit"},
            "previous_view_id": None,
            "root_view_id": "V0007",
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        },
        "response_urls": [],
    },
)

_closed_cleared = copy.deepcopy(SAMPLES[-1][2])
_closed_cleared["is_cleared"] = True
_closed_cleared["is_enterprise_install"] = False
_closed_cleared["enterprise"] = {"id": ENTERPRISE_ID, "name": "Sandbox Org"}
_add("view_closed_is_cleared_true", "interactive", _closed_cleared)

# [BP test_shortcut global_shortcut_body] - Grid workspace global shortcut (no channel, no response_url)
_add(
    "shortcut_global_grid",
    "interactive",
    {
        "type": "shortcut",
        "token": TOKEN,
        "action_ts": "1717000500.000001",
        "team": {
            "id": TEAM_ID,
            "domain": "workspace-domain",
            "enterprise_id": ENTERPRISE_ID,
            "enterprise_name": "Org Name",
        },
        "user": {"id": GRID_USER_ID, "username": "primary-owner", "team_id": TEAM_ID},
        "callback_id": "test-shortcut",
        "trigger_id": "111.111.xxxxxx",
    },
)

# [BJS GlobalShortcut type] + [JV GlobalShortcutPayload field names]: non-Grid workspace incl.
# is_enterprise_install false / enterprise null
_add(
    "shortcut_global_workspace",
    "interactive",
    {
        "type": "shortcut",
        "token": TOKEN,
        "action_ts": "1717000501.000001",
        "team": {"id": TEAM_ID, "domain": "acme-test-workspace"},
        "user": {"id": USER_ID, "username": "jane.smith", "team_id": TEAM_ID},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": "open_modal",
        "trigger_id": "10367455086087.10229338706656.cc75a0c0dacc24a1f7b84a7a426d1190",
    },
)

# composed: org-wide install global shortcut -> team null (bolt-js type comment "team is null for org apps")
_add(
    "shortcut_global_org_install_team_null",
    "interactive",
    {
        "type": "shortcut",
        "token": TOKEN,
        "action_ts": "1717000502.000001",
        "team": None,
        "user": {"id": GRID_USER_ID, "username": "primary-owner", "team_id": TEAM_ID},
        "is_enterprise_install": True,
        "enterprise": {"id": ENTERPRISE_ID, "name": "Acme Corp"},
        "callback_id": "open_modal",
        "trigger_id": "10367455086088.10229338706656.dd75a0c0dacc24a1f7b84a7a426d1191",
    },
)

# [BP test_shortcut message_shortcut_body] - message shortcut on a user message (user has only id+name)
_add(
    "message_action_on_user_message",
    "interactive",
    {
        "type": "message_action",
        "token": TOKEN,
        "action_ts": "1717000510.207593",
        "team": {"id": TEAM_ID, "domain": "test-test", "enterprise_id": ENTERPRISE_ID, "enterprise_name": "Org Name"},
        "user": {"id": GRID_USER_ID, "name": "test-test"},
        "channel": {"id": CHANNEL_ID, "name": "dev"},
        "callback_id": "test-shortcut",
        "trigger_id": "111.222.xxx",
        "message_ts": "1717000000.000300",
        "message": {
            "client_msg_id": "zzzz-111-222-xxx-yyy",
            "type": "message",
            "text": "<@W0002> test",
            "user": GRID_USER_ID,
            "ts": "1717000000.000300",
            "team": TEAM_ID,
            "blocks": [
                {
                    "type": "rich_text",
                    "block_id": "d7eJ",
                    "elements": [
                        {
                            "type": "rich_text_section",
                            "elements": [{"type": "user", "user_id": GRID_USER2_ID}, {"type": "text", "text": " test"}],
                        }
                    ],
                }
            ],
        },
        "response_url": "https://hooks.slack.com/app/T0001/111/xxx",
    },
)

# composed: message shortcut on a classic bot_message (no `user` in message) with attachments,
# non-Grid, is_enterprise_install/enterprise keys ([JV MessageShortcutPayload] field list)
_add(
    "message_action_on_bot_message_with_attachments",
    "interactive",
    {
        "type": "message_action",
        "token": TOKEN,
        "action_ts": "1717000511.207593",
        "team": {"id": TEAM_ID, "domain": "acme-test-workspace"},
        "user": {"id": USER_ID, "username": "jane.smith", "team_id": TEAM_ID, "name": "jane.smith"},
        "channel": {"id": CHANNEL_ID, "name": "general"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": "save_message",
        "trigger_id": "10367455086089.10229338706656.ee75a0c0dacc24a1f7b84a7a426d1192",
        "message_ts": "1717000007.000800",
        "message": {
            "type": "message",
            "subtype": "bot_message",
            "text": "",
            "ts": "1717000007.000800",
            "username": "github",
            "bot_id": OTHER_BOT_ID,
            "attachments": [
                {
                    "id": 1,
                    "color": "36a64f",
                    "fallback": "[myorg/myrepo] Issue opened",
                    "text": "another one",
                    "title": "#2 test issue 2",
                    "mrkdwn_in": ["text"],
                }
            ],
        },
        "response_url": "https://hooks.slack.com/app/T0001/112/yyy",
    },
)

# =============================================================================================
# 5. slash commands (form fields; all values are strings)
# =============================================================================================

# [VC slash-commands slashCommand] REAL - non-Grid: api_app_id, is_enterprise_install "false", empty text,
# no enterprise_* fields
_add(
    "command_workspace_empty_text",
    "command",
    {
        "token": TOKEN,
        "team_id": TEAM_ID,
        "team_domain": "acme-test-workspace",
        "channel_id": CHANNEL_ID,
        "channel_name": "general",
        "user_id": USER_ID,
        "user_name": "testuser",
        "command": "/test-feedback",
        "text": "",
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.com/commands/T0001/10521386623270/6U66ryd5RNMenHgPzeTf3u7K",
        "trigger_id": "10520020890661.10229338706656.2e2188a074adf3bf9f8456b30180f405",
    },
)

# [VC slashCommandWithArgs] REAL - with text
_add(
    "command_workspace_with_text",
    "command",
    {
        "token": TOKEN,
        "team_id": TEAM_ID,
        "team_domain": "acme-test-workspace",
        "channel_id": CHANNEL_ID,
        "channel_name": "general",
        "user_id": USER_ID,
        "user_name": "testuser",
        "command": "/test-feedback",
        "text": "some arguments here <@U0002|someone> <#C0002|private-stuff>",
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.com/commands/T0001/10521386623271/7U66ryd5RNMenHgPzeTf3u7L",
        "trigger_id": "10520020890662.10229338706656.3e2188a074adf3bf9f8456b30180f406",
    },
)

# [BP test_slash_command] + [JV SlashCommandPayload] - Grid workspace install: enterprise_id/enterprise_name, W user
_add(
    "command_grid_workspace_install",
    "command",
    {
        "token": TOKEN,
        "team_id": TEAM_ID,
        "team_domain": "test-domain",
        "channel_id": CHANNEL_ID,
        "channel_name": "random",
        "user_id": GRID_USER_ID,
        "user_name": "primary-owner",
        "command": "/hello-world",
        "text": "Hi",
        "enterprise_id": ENTERPRISE_ID,
        "enterprise_name": "Org Name",
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.com/commands/T0001/111/xxxxx",
        "trigger_id": "111.111.xxx",
    },
)

# [JV SlashCommandPayload] field set - org-wide install: is_enterprise_install "true"
_add(
    "command_grid_org_install",
    "command",
    {
        "token": TOKEN,
        "team_id": TEAM_ID,
        "team_domain": "test-domain",
        "enterprise_id": ENTERPRISE_ID,
        "enterprise_name": "Org Name",
        "channel_id": CHANNEL_ID,
        "channel_name": "random",
        "user_id": GRID_USER_ID,
        "user_name": "primary-owner",
        "command": "/hello-world",
        "text": "",
        "api_app_id": APP_ID,
        "is_enterprise_install": "true",
        "response_url": "https://hooks.slack.com/commands/T0001/112/yyyyy",
        "trigger_id": "112.112.yyy",
    },
)

# public gist captures: command issued in a DM (channel_name "directmessage", D channel id)
_add(
    "command_in_dm",
    "command",
    {
        "token": TOKEN,
        "team_id": TEAM_ID,
        "team_domain": "acme-test-workspace",
        "channel_id": DM_CHANNEL_ID,
        "channel_name": "directmessage",
        "user_id": USER_ID,
        "user_name": "testuser",
        "command": "/test-feedback",
        "text": "help",
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.com/commands/T0001/10521386623272/8U66ryd5RNMenHgPzeTf3u7M",
        "trigger_id": "10520020890663.10229338706656.4e2188a074adf3bf9f8456b30180f407",
    },
)


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def iter_samples():
    """Yield deep copies so tests can't mutate the shared fixtures."""
    for name, kind, payload in SAMPLES:
        yield name, kind, copy.deepcopy(payload)


def http_body(kind, payload):
    """Return (content_type, body) exactly as Slack would POST it."""
    if kind == "event":
        return "application/json", json.dumps(payload)
    if kind == "interactive":
        return "application/x-www-form-urlencoded", urlencode({"payload": json.dumps(payload)})
    if kind == "command":
        return "application/x-www-form-urlencoded", urlencode(payload)
    raise ValueError(kind)


if __name__ == "__main__":
    names = [n for n, _, _ in SAMPLES]
    assert len(names) == len(set(names)), "duplicate sample names"
    for n, k, p in SAMPLES:
        assert k in ("event", "interactive", "command"), n
        json.dumps(p)
        if k == "command":
            assert all(isinstance(v, str) for v in p.values()), n
        if k == "event":
            assert p["type"] == "event_callback" and "event" in p, n
    from collections import Counter

    print(len(SAMPLES), "samples", dict(Counter(k for _, k, _ in SAMPLES)))
