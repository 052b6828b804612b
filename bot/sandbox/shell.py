"""`copbot shell`: the real app over HTTP against a built-in Slack stand-in, driven from a terminal."""

from __future__ import annotations

import itertools
import re
import secrets
import shlex
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from bot.app import Copbot, create_app
from bot.clock import ManualClock
from bot.knowledge.blocks import SAVE_RESOURCE_CALLBACK
from bot.sandbox.render import Button, FormError, Rendered, form_values, render_blocks
from bot.sandbox.standin import RecordedCall, SignedSender, SlackStandin, User
from bot.settings import Settings, SettingsError, load_settings
from bot.slack.markup import plain_text
from bot.web import RunningServer, start_http_server
from handlers import command_table
from storage.migrate import upgrade

SHOWN_METHODS = {
    "chat.postMessage",
    "chat.update",
    "chat.postEphemeral",
    "views.open",
    "views.push",
    "views.update",
    "views.publish",
    "response_url",
}
BARE_URL = re.compile(r"https?://[^\s<>]+")
MENTION = re.compile(r"(?<![<\w])@([a-z0-9][a-z0-9._-]*)")
DURATION = re.compile(r"([0-9]+)([mhdw])")
MAX_TICK = timedelta(days=366)
UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# The sandbox's simulated clock starts at a fixed Monday morning, so a script prints the same every time.
SANDBOX_START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
QUIET_SUMMARIES = ("raised 0", "forgot", "skipped", "nothing queued")  # runs with nothing worth a line here
HELP = """Commands:
  /cop …               send the slash command as the current user (in the current channel)
  as NAME              become another user (see `users`)
  in CHANNEL           type commands in another channel (default #general)
  join-channel NAME    join a channel as the current user (Slack sends member_joined_channel)
  leave-channel NAME   leave a channel as the current user
  say TEXT             post a message in the current channel
  reply TEXT           reply in the thread of the last message in the current channel
  save                 "Save as community resource" on the last message in the current channel
  click N              press the Nth button of the last message you were shown
  submit k=v …         fill in and submit the form you have open (fields by [name]; others keep their values)
  tick 7d              move the clock on (m, h, d, w) and run what the schedules would have run
  home                 open your App Home
  new-user NAME        a new person joins the workspace (Slack sends team_join)
  users                the people in this workspace
  help, quit"""


@dataclass
class ShellState:
    """Who is typing where, and the buttons they can press."""

    user_id: str = "U_ADMIN"
    channel_id: str = "C_GENERAL"
    last_buttons: dict[str, tuple[Rendered, dict[str, Any]]] = field(default_factory=dict)
    open_views: dict[str, dict[str, Any]] = field(default_factory=dict)
    last_post: dict[str, dict[str, Any]] = field(default_factory=dict)  # channel → last message in it
    waiting_for_work_hours: int = 0  # said once, again when it changes


class Shell:
    """One sandbox: stand-in, app, HTTP server, manual clock."""

    def __init__(
        self, out: IO[str], *, command: str = "/cop", start: datetime = SANDBOX_START, keep: Path | None = None
    ) -> None:
        self.out = out
        self.keep = keep
        self._clock_file = keep.with_name(keep.name + ".clock") if keep else None
        if self._clock_file is not None and self._clock_file.exists():
            start = datetime.fromisoformat(self._clock_file.read_text().strip())  # the sandbox's time goes on
        self.clock = ManualClock(start)
        self.standin = SlackStandin(token="xoxb-copbot-shell", clock=lambda: self.clock.now().timestamp()).start()
        self._tmp = tempfile.TemporaryDirectory(prefix="copbot-shell-")
        database = keep.resolve() if keep else Path(self._tmp.name) / "shell.db"
        secret = secrets.token_hex(16)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            slack_bot_token=self.standin.token,
            slack_signing_secret=secret,
            slack_api_url=self.standin.url,
            database_url=f"sqlite:///{database}",
            scheduler=False,
            admins=frozenset(),
            command=command,
        )
        # One sender: the shell prints Slack's calls in the order they happen, and tours compare that.
        self.copbot: Copbot = create_app(settings, clock=self.clock, channel_pace=timedelta(0), senders=1)
        upgrade(self.copbot.engine)
        self.server: RunningServer = start_http_server(self.copbot)
        self.slack = SignedSender(url=f"{self.server.url}/slack/events", secret=secret)
        self.state = ShellState()
        self._seen_calls = 0
        self._event_ids = itertools.count(1)

    def close(self) -> None:
        """Stop everything; delete the sandbox database unless it is kept (then remember the sandbox's time)."""
        self.server.stop()
        self.copbot.stop()
        self.standin.stop()
        if self._clock_file is not None:
            self._clock_file.write_text(self.clock.now().isoformat() + "\n")
        self._tmp.cleanup()

    def database_line(self) -> str:
        """Which database this sandbox uses, for the greeting."""
        if self.keep is None:
            return "Sandbox database: a temporary one, gone when you quit (`copbot shell --keep` keeps one)."
        return f"Sandbox database: {self.keep}, kept between runs (delete it to start over)."

    # -- input

    def handle(self, line: str) -> bool:
        """Act on one input line; False means quit."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        word, _, rest = line.partition(" ")
        if word in ("quit", "exit"):
            return False
        if line.startswith(self.copbot.settings.command):
            self._slash(line[len(self.copbot.settings.command) :].strip())
        elif word in ACTIONS:
            ACTIONS[word](self, rest.strip())
        elif command_table().get(word.lower()) is not None:  # `join python` for `/cop join python`
            command = self.copbot.settings.command
            self._say(f"I don't understand `{line}`. Did you mean `{command} {line}`? Type `help`.")
        else:
            self._say(f"I don't understand `{line}`. Type `help`.")
        self._deliver_and_show()
        return True

    def prompt(self) -> str:
        """`alice@#general>`"""
        return f"{self._name(self.state.user_id)}@#{self._name(self.state.channel_id)}> "

    def _slash(self, text: str) -> None:
        response = self.slack.command(
            self.copbot.settings.command,
            self._as_slack_formats(text),
            user_id=self.state.user_id,
            channel_id=self.state.channel_id,
            user_name=self._name(self.state.user_id),
            response_url=self.standin.response_url(f"cmd-{next(self._event_ids)}"),
        )
        self._show_app_response(response.status, response.json() if response.body else None)

    def _escape_mentions(self, text: str) -> str:
        """What Slack does with `should_escape`: `@bob` becomes `<@U_BOB|bob>`."""

        def mention(match: re.Match[str]) -> str:
            user = self.standin.workspace.user_by_name(match.group(1))
            return f"<@{user.id}|{user.name}>" if user is not None else match.group(0)

        return MENTION.sub(mention, text)

    def _as_slack_formats(self, text: str) -> str:
        """What Slack stores for a typed message: `&`, `<`, `>` escaped, links and mentions marked up."""
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return self._escape_mentions(BARE_URL.sub(lambda m: f"<{m.group(0)}>", escaped))

    def _show_app_response(self, status: int, body: dict[str, Any] | None) -> None:
        if status != 200:
            self._say(f"✗ copbot answered HTTP {status}")
            return
        if not body:
            return
        if body.get("response_action") == "errors":
            for field_id, error in body.get("errors", {}).items():
                self._say(f"✗ {field_id}: {error}")
            return
        if not body.get("text") and not body.get("blocks"):
            return
        header = "(only you see this)" if body.get("response_type") != "in_channel" else "→ in the channel"
        self._show(header, body, audience=self.state.user_id)

    # -- actions

    def as_user(self, name: str) -> None:
        user = self.standin.workspace.user_by_name(name)
        if user is None:
            self._say(f"No user called {name}. Type `users`.")
            return
        self.state.user_id = user.id
        self._say(f"You are now @{user.name}.")

    def in_channel(self, name: str) -> None:
        channel = self.standin.workspace.channel_by_name(name)
        if channel is None:
            names = ", ".join(f"#{c.name}" for c in self.standin.workspace.channels() if not c.is_im and not c.is_mpim)
            self._say(f"No channel called {name}. Channels: {names}")
            return
        self.state.channel_id = channel.id
        self._say(f"You are typing in #{channel.name}.")

    def join_channel(self, name: str) -> None:
        channel = self.standin.workspace.channel_by_name(name)
        if channel is None:
            self._say(f"No channel called {name}.")
            return
        if not self.standin.workspace.join(channel.id, self.state.user_id):
            self._say(f"You are already in #{channel.name}.")
            return
        self._say(f"@{self._name(self.state.user_id)} joined #{channel.name}.")
        self._event(
            {"type": "member_joined_channel", "user": self.state.user_id, "channel": channel.id, "channel_type": "C"}
        )

    def leave_channel(self, name: str) -> None:
        channel = self.standin.workspace.channel_by_name(name)
        if channel is None or self.state.user_id not in channel.members:
            self._say(f"You are not in {name}.")
            return
        channel.members.discard(self.state.user_id)
        self._say(f"@{self._name(self.state.user_id)} left #{channel.name}.")
        self._event(
            {"type": "member_left_channel", "user": self.state.user_id, "channel": channel.id, "channel_type": "C"}
        )

    def say(self, text: str) -> None:
        text = self._as_slack_formats(text)
        message = self.standin.workspace.add_message(self.state.channel_id, user=self.state.user_id, text=text)
        self.state.last_post[self.state.channel_id] = {"ts": message.ts, "text": text, "user": self.state.user_id}
        self._event(
            {
                "type": "message",
                "channel": self.state.channel_id,
                "user": self.state.user_id,
                "text": text,
                "ts": message.ts,
                "channel_type": "channel",
            }
        )

    def reply(self, text: str) -> None:
        text = self._as_slack_formats(text)
        parent = self.state.last_post.get(self.state.channel_id)
        if parent is None:
            self._say("There is no message in this channel to reply to yet.")
            return
        message = self.standin.workspace.add_message(
            self.state.channel_id, user=self.state.user_id, text=text, thread_ts=parent["ts"]
        )
        self._say(f"@{self._name(self.state.user_id)} replied in the thread.")
        self._event(
            {
                "type": "message",
                "channel": self.state.channel_id,
                "user": self.state.user_id,
                "text": text,
                "ts": message.ts,
                "thread_ts": parent["ts"],
                "channel_type": "channel",
            }
        )

    def save(self, _rest: str) -> None:
        message = self.state.last_post.get(self.state.channel_id)
        if message is None:
            self._say("There is no message in this channel to save yet.")
            return
        response = self.slack.message_shortcut(
            user_id=self.state.user_id,
            callback_id=SAVE_RESOURCE_CALLBACK,
            channel_id=self.state.channel_id,
            message={"ts": message["ts"], "text": message.get("text", ""), "user": message.get("user", "")},
            trigger_id=f"trigger-{next(self._event_ids)}",
        )
        if response.status != 200:
            self._say(f"✗ copbot answered HTTP {response.status}")

    def submit(self, rest: str) -> None:
        view = self.state.open_views.get(self.state.user_id)
        if view is None:
            self._say("You have no form open.")
            return
        try:
            given = dict(pair.split("=", 1) for pair in shlex.split(rest))
        except ValueError:
            self._say('Usage: submit field=value field2="several words"')
            return
        try:
            values = form_values(view, given)
        except FormError as problem:
            self._say(f"✗ {problem}")
            return
        response = self.slack.view_submission(
            user_id=self.state.user_id,
            callback_id=view.get("callback_id", ""),
            values=values,
            private_metadata=view.get("private_metadata", ""),
            view_id=view.get("id"),
        )
        body = response.json() if response.body else None
        if response.status == 200 and body and body.get("response_action") == "errors":
            for field_id, error in body.get("errors", {}).items():
                self._say(f"✗ [{field_id}] {error}")
            return
        self.state.open_views.pop(self.state.user_id, None)
        if body and body.get("response_action") == "update":
            self._show("▣ the form now says", body["view"], audience=self.state.user_id)
        elif response.status == 200:
            self._say("(form submitted and closed)")
        else:
            self._say(f"✗ copbot answered HTTP {response.status}")

    def click(self, number: str) -> None:
        shown = self.state.last_buttons.get(self.state.user_id)
        if (
            shown is None
            or not (number.isascii() and number.isdigit())
            or not 1 <= int(number) <= len(shown[0].buttons)
        ):
            self._say("There is no such button in the last message you were shown.")
            return
        button: Button = shown[0].buttons[int(number) - 1]
        if button.url:
            self._say(f"(opens {button.url} in the browser)")
            return
        message = shown[1]
        response = self.slack.action(
            user_id=self.state.user_id,
            action_id=button.action_id,
            value=button.value,
            block_id=button.block_id,
            channel_id=message.get("channel"),
            message_ts=message.get("ts"),
            message=message.get("message"),
            trigger_id=f"trigger-{next(self._event_ids)}",
            response_url=self.standin.response_url(f"click-{next(self._event_ids)}"),
        )
        self._say(f"@{self._name(self.state.user_id)} pressed “{button.label}”.")
        self._show_app_response(response.status, response.json() if response.body else None)

    def tick(self, spec: str) -> None:
        match = DURATION.fullmatch(spec.strip())
        if match is None:
            self._say("Usage: tick 30m | 6h | 7d | 2w")
            return
        digits = match.group(1)  # seven or more are past MAX_TICK in any unit, and may not fit a timedelta
        if len(digits) > 6 or timedelta(**{UNITS[match.group(2)]: int(digits)}) > MAX_TICK:
            self._say(f"The clock moves on at most a year at a time: `tick {MAX_TICK.days}d`.")
            return
        end = self.clock.now() + timedelta(**{UNITS[match.group(2)]: int(digits)})
        self._say(f"⏱ The clock moves on {spec}, to {end:%a %d %b %Y %H:%M} UTC.")
        while True:
            now = self.clock.now()
            step = min(
                (
                    moment
                    for moment in (self.copbot.scheduler.next_due_after(now), self.copbot.worker.next_due_at())
                    if moment
                ),
                default=end,
            )
            step = min(max(step, now), end)
            self.clock.advance(step - now)
            self._run_jobs_and_deliver(now, step)
            if step >= end:
                return

    def _run_jobs_and_deliver(self, start: datetime, end: datetime) -> None:
        """What a running copbot would have done between two moments: due jobs, then due deliveries."""
        results = [
            result
            for result in self.copbot.scheduler.run_due_between(start, end)
            if result.ran and not result.summary.startswith(QUIET_SUMMARIES)
        ]
        while self.copbot.worker.deliver_due().touched:
            pass
        shown = self._unseen_calls()
        if not results and not shown:
            return
        self._say(f"· {end.astimezone(UTC):%a %d %b %H:%M} UTC")
        for result in results:
            where = f" of {result.community}" if result.community else ""
            self._say(f"  {result.job}{where} ({result.period}): {result.summary}")
        for call in shown:
            self._show_call(call)

    def users(self, _rest: str) -> None:
        for user in self.standin.workspace.users():
            if user.id == self.standin.workspace.bot_user_id:
                continue
            flags = [
                flag
                for flag, on in (
                    ("admin", user.is_admin),
                    ("owner", user.is_owner),
                    ("bot", user.is_bot),
                    ("deactivated", user.deleted),
                )
                if on
            ]
            marker = "*" if user.id == self.state.user_id else " "
            extra = f" ({', '.join(flags)})" if flags else ""
            self._say(f"{marker} @{user.name}{extra} — {user.real_name}, {user.tz}")

    def home(self, _rest: str) -> None:
        self._event({"type": "app_home_opened", "user": self.state.user_id, "tab": "home", "channel": "D_HOME"})

    def new_user(self, name: str) -> None:
        name = name.strip().lstrip("@").lower()
        if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,20}", name):
            self._say("Usage: new-user NAME (lowercase letters, digits, dots, dashes)")
            return
        if self.standin.workspace.user_by_name(name) is not None:
            self._say(f"There is already a @{name}. Type `users`.")
            return
        user = self.standin.workspace.add_user(User(f"U_{name.upper().replace('.', '_').replace('-', '_')}", name))
        self._say(f"@{name} joined the workspace.")
        self._event(
            {
                "type": "team_join",
                "user": user.to_api(team_id=self.standin.workspace.team_id, now=self.clock.now().timestamp()),
            }
        )

    def help(self, _rest: str) -> None:
        self._say(HELP.replace("/cop", self.copbot.settings.command))

    # -- output

    def _event(self, event: dict[str, Any]) -> None:
        response = self.slack.event(event, event_id=f"EvShell{next(self._event_ids):06d}")
        if response.status != 200:
            self._say(f"✗ copbot answered HTTP {response.status}")

    def _deliver_and_show(self) -> None:
        while self.copbot.worker.deliver_due().touched:
            pass
        for call in self._unseen_calls():
            self._show_call(call)
        later = self.copbot.worker.waiting_for_working_hours()
        waiting = self.copbot.worker.pending_count() - later
        if waiting:
            self._say(f"({waiting} message(s) waiting for Slack to accept them)")
        if later and later != self.state.waiting_for_work_hours:
            self._say(f"({later} message(s) waiting for their recipients' working hours; `tick` moves the clock)")
        self.state.waiting_for_work_hours = later

    def _unseen_calls(self) -> list[RecordedCall]:
        calls = self.standin.calls
        unseen = calls[self._seen_calls :]
        self._seen_calls = len(calls)
        return unseen

    def _show_call(self, call: RecordedCall) -> None:
        if call.method not in SHOWN_METHODS:
            return
        params = call.params
        if not call.ok:
            self._say(f"✗ Slack refused {call.method}: {call.response.get('error', call.status)}")
            return
        if call.method in ("chat.postMessage", "chat.update"):
            channel = call.response.get("channel") or params.get("channel", "")
            verb = "✎ edited" if call.method == "chat.update" else "→"
            audience = self._dm_user(channel)
            where = f"DM to @{self._name(audience)}" if audience else f"#{self._name(channel)}"
            thread = " (in thread)" if params.get("thread_ts") else ""
            message = {
                "channel": channel,
                "ts": call.response.get("ts"),
                "message": {"ts": call.response.get("ts"), "text": params.get("text"), "blocks": params.get("blocks")},
            }
            if call.method == "chat.postMessage" and not audience and not params.get("thread_ts"):
                self.state.last_post[channel] = {
                    "ts": call.response.get("ts"),
                    "text": params.get("text", ""),
                    "user": "UBOT",
                }
            self._show(f"{verb} {where}{thread}", params, audience=audience or "*", message=message)
        elif call.method == "chat.postEphemeral":
            self._show(
                f"(only @{self._name(params.get('user', ''))} sees this in #{self._name(params.get('channel', ''))})",
                params,
                audience=params.get("user", ""),
            )
        elif call.method == "response_url":
            self._show("(only you see this)", params, audience=self.state.user_id)
        elif call.method == "views.publish":
            self._show(
                f"⌂ App Home of @{self._name(params.get('user_id', ''))}",
                params.get("view", {}),
                audience=params.get("user_id", ""),
            )
        else:
            view = params.get("view", {})
            title = plain_text(str((view.get("title") or {}).get("text", "")), self._name)
            if view.get("submit"):
                self.state.open_views[self.state.user_id] = view
            self._show(f"▣ form “{title}”", view, audience=self.state.user_id)
            if view.get("submit"):
                self._say("    (fill it in with: submit name=value …)")

    def _show(
        self, header: str, payload: dict[str, Any], *, audience: str, message: dict[str, Any] | None = None
    ) -> None:
        blocks = payload.get("blocks")
        rendered = (
            render_blocks(blocks, self._name)
            if blocks
            else Rendered(lines=plain_text(str(payload.get("text", "")), self._name).splitlines())
        )
        self._say(header)
        for line in rendered.lines:
            self._say(f"    {line}")
        if rendered.buttons:
            targets = [audience] if audience != "*" else [u.id for u in self.standin.workspace.users()]
            for user_id in targets:
                self.state.last_buttons[user_id] = (rendered, message or {})

    def _dm_user(self, channel_id: str) -> str | None:
        channel = self.standin.workspace.channel(channel_id)
        return channel.user if channel is not None and channel.is_im else None

    def _name(self, some_id: str) -> str:
        user = self.standin.workspace.user(some_id)
        if user is not None:
            return user.name
        channel = self.standin.workspace.channel(some_id)
        return channel.name if channel is not None else some_id

    def _say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


ACTIONS = {
    "as": Shell.as_user,
    "in": Shell.in_channel,
    "join-channel": Shell.join_channel,
    "leave-channel": Shell.leave_channel,
    "say": Shell.say,
    "reply": Shell.reply,
    "save": Shell.save,
    "submit": Shell.submit,
    "click": Shell.click,
    "tick": Shell.tick,
    "home": Shell.home,
    "new-user": Shell.new_user,
    "users": Shell.users,
    "help": Shell.help,
}


def run_shell(stdin: IO[str], stdout: IO[str], *, keep: Path | None = None) -> int:
    """Run the sandbox on a terminal or a script; echoes script lines so a transcript reads well."""
    try:
        command = load_settings().command
    except SettingsError:
        command = "/cop"
    shell = Shell(stdout, command=command, keep=keep)
    interactive = stdin.isatty()
    stdout.write(
        "copbot shell — a simulated Slack workspace on your machine; nothing leaves it.\n"
        f"You are @ada (a workspace admin) in #general. Type `help` for what you can do, `{command} help` for the bot.\n"
        f"Simulated time: {shell.clock.now():%a %d %b %Y %H:%M} UTC; `tick` moves it on.\n"
        f"{shell.database_line()}\n"
    )
    try:
        while True:
            if interactive:
                stdout.write(shell.prompt())
                stdout.flush()
            line = stdin.readline()
            if not line:
                break
            if not interactive and line.strip() and not line.lstrip().startswith("#"):
                stdout.write(f"\n{shell.prompt()}{line.strip()}\n")
            if not shell.handle(line):
                break
    except KeyboardInterrupt:
        stdout.write("\n")
    finally:
        shell.close()
    return 0
