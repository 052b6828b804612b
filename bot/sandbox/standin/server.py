"""SlackStandin: a local HTTP server that answers Slack Web API calls the way Slack does."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from bot.sandbox.standin import api
from bot.sandbox.standin.api.params import SlackError
from bot.sandbox.standin.blockkit import validate_message
from bot.sandbox.standin.failures import Failure, FailureScript
from bot.sandbox.standin.rate_limits import RateLimits
from bot.sandbox.standin.wire import MalformedBodyError, decode_json_fields, parse_params, token_from
from bot.sandbox.standin.workspace import Channel, User, Workspace

if TYPE_CHECKING:
    from bot.sandbox.standin.socket_mode import SocketModeServer

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
RESPONSE_URL_PREFIX = "/response_url/"
RESPONSE_URL_METHOD = "response_url"


@dataclass
class RecordedCall:
    """One request the stand-in answered: what was asked and what it said."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]
    headers: dict[str, str]
    raw_body: bytes
    at: float
    key: str | None = None

    @property
    def ok(self) -> bool:
        """True if the call got HTTP 200 and `"ok": true`."""
        return self.status == 200 and self.response.get("ok") is True


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, JSON body, extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    raw: str | None = None  # sent instead of the JSON body

    def encoded(self) -> bytes:
        """The body as UTF-8 JSON (or the raw text, when there is one)."""
        return (self.raw if self.raw is not None else json.dumps(self.body)).encode("utf-8")


class SlackStandin:
    """A fake Slack: point `WebClient(base_url=standin.url)` at it and inspect `calls` afterwards."""

    def __init__(
        self,
        *,
        token: str = "xoxb-test",
        app_token: str = "xapp-1-standin",
        team_id: str = "T0001",
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        clock: Callable[[], float] = time.time,
        users: Iterable[User] | None = None,
        channels: Iterable[Channel] | None = None,
    ) -> None:
        self.token = token
        self.app_token = app_token  # apps.connections.open takes this one (Socket Mode)
        self.clock = clock
        self._socket_mode: SocketModeServer | None = None
        self.workspace = Workspace(
            team_id=team_id, bot_user_id=bot_user_id, bot_id=bot_id, clock=clock, users=users, channels=channels
        )
        self._failures = FailureScript()
        self.rate_limits = RateLimits()  # none until set: `standin.rate_limits.limit("chat.postMessage", per_minute=…)`
        self._calls: list[RecordedCall] = []
        self._violations: list[str] = []
        self._callbacks: list[Callable[[RecordedCall], None]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    def start(self) -> SlackStandin:
        """Serve on 127.0.0.1 (a free port) from a daemon thread."""
        if self._server is not None:
            return self
        handler = type("BoundStandinHandler", (_Handler,), {"standin": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="slack-standin", daemon=True
        )
        self._thread.start()
        return self

    @property
    def socket_mode(self) -> SocketModeServer:
        """The Socket Mode side of the stand-in (its WebSocket server starts on first use)."""
        if self._socket_mode is None:
            from bot.sandbox.standin.socket_mode import SocketModeServer  # needs `websockets`, a test dependency

            self._socket_mode = SocketModeServer()
        return self._socket_mode

    def stop(self) -> None:
        """Stop serving and release the port (safe to call twice)."""
        if self._socket_mode is not None:
            self._socket_mode.stop()
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> SlackStandin:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the stand-in listens on."""
        if self._server is None:
            raise RuntimeError("the Slack stand-in is not started; call start() first")
        return int(self._server.server_address[1])

    @property
    def root(self) -> str:
        """The server's root URL, e.g. "http://127.0.0.1:PORT"."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The Web API base URL for WebClient(base_url=...), with trailing slash."""
        return f"{self.root}{API_PREFIX}"

    def response_url(self, key: str) -> str:
        """A Slack-style response_url on the stand-in; POSTs there are recorded as method "response_url"."""
        return f"{self.root}{RESPONSE_URL_PREFIX}{quote(key, safe='')}"

    # inspection

    @property
    def calls(self) -> list[RecordedCall]:
        """Every recorded call, oldest first (a copy)."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Recorded calls to one method, oldest first."""
        return [call for call in self.calls if call.method == method]

    def messages_to(self, recipient: str) -> list[RecordedCall]:
        """Successful chat.postMessage calls to a user (by id or DM) or a channel (id or #name)."""
        targets = self._recipient_ids(recipient)
        return [
            call
            for call in self.calls_to("chat.postMessage")
            if call.ok and (call.params.get("channel") in targets or call.response.get("channel") in targets)
        ]

    def _recipient_ids(self, recipient: str) -> set[str]:
        ws = self.workspace
        ids = {recipient}
        user = ws.user(recipient) or (ws.user_by_name(recipient) if recipient.startswith("@") else None)
        channel = ws.channel(recipient) or ws.channel_by_name(recipient)
        if user is not None:
            dm = ws.existing_dm(user.id)
            ids |= {user.id} | ({dm.id} if dm else set())
        if channel is not None:
            ids |= {channel.id} | ({channel.user} if channel.is_im and channel.user else set())
        return ids

    @property
    def violations(self) -> list[str]:
        """Every Block Kit violation seen, as "method: message" (a copy)."""
        with self._lock:
            return list(self._violations)

    # scripting

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        delay: float = 0.0,
        lands: bool = False,
        raw_body: str | None = None,
    ) -> None:
        """Make the next `times` calls to `method` fail with `status`/`error`/`raw_body`, or answer `delay`
        seconds late (taking effect only then). With `lands`, the call takes effect and then fails.

        `method` is a Web API method name, "response_url", or "*" for any of them.
        """
        self._failures.add(Failure(method, status, error, retry_after, times, delay, lands, raw_body))

    def on_call(self, callback: Callable[[RecordedCall], None]) -> None:
        """Call `callback` with each recorded call, before its answer is sent."""
        with self._lock:
            self._callbacks.append(callback)

    def reset(self) -> None:
        """Forget recorded calls, violations and scripted failures (the workspace stays)."""
        self._failures.clear()
        with self._lock:
            self._calls.clear()
            self._violations.clear()

    # answering

    def handle(self, *, path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one HTTP request (path may carry a query string)."""
        parts = urlsplit(path)
        if parts.path.startswith(API_PREFIX):
            return self._api_call(parts.path[len(API_PREFIX) :], parts.query, headers, body)
        if parts.path.startswith(RESPONSE_URL_PREFIX):
            return self._response_url_call(parts.path[len(RESPONSE_URL_PREFIX) :], headers, body)
        return Reply(404, {"ok": False, "error": "not_found"})

    def _api_call(self, method: str, query: str, headers: Mapping[str, str], body: bytes) -> Reply:
        at = self.clock()
        try:
            params = parse_params(_content_type(headers), body, query)
        except MalformedBodyError as bad:
            return self._finish(
                RecordedCall(method, {}, 200, {"ok": False, "error": bad.error}, dict(headers), body, at)
            )
        wait = self.rate_limits.retry_after(method)
        if wait is not None:
            limited = Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)})
            return self._finish(
                RecordedCall(method, params, 429, limited.body, dict(headers), body, at), limited.headers
            )
        failure = self._failures.take(method)
        if failure is not None and failure.delay > 0:
            time.sleep(failure.delay)
        if failure is not None and failure.fails and not failure.lands:
            reply = _failed(failure)
        else:
            reply = self._answer(method, params, headers)
            if failure is not None and failure.fails:  # it happened; the answer says otherwise
                reply = _failed(failure)
        return self._finish(
            RecordedCall(method, params, reply.status, reply.body, dict(headers), body, at), reply.headers, reply.raw
        )

    def _scripted(self, method: str) -> Reply | None:
        """The scripted failure's reply, after its delay; None if the call should be answered normally."""
        failure = self._failures.take(method)
        if failure is None:
            return None
        if failure.delay > 0:
            time.sleep(failure.delay)
        return _failed(failure) if failure.fails else None

    def _answer(self, method: str, params: dict[str, Any], headers: Mapping[str, str]) -> Reply:
        if method == "apps.connections.open":
            if token_from(headers, params) != self.app_token:
                return Reply(200, {"ok": False, "error": "invalid_auth"})
            return Reply(200, {"ok": True, "url": self.socket_mode.new_url()})
        if method not in api.METHODS:
            return Reply(200, {"ok": False, "error": "unknown_method"})
        if token_from(headers, params) != self.token:
            return Reply(200, {"ok": False, "error": "invalid_auth"})
        try:
            return Reply(200, api.call(self.workspace, method, params))
        except SlackError as refused:
            self._add_violations(method, refused.violations)
            return Reply(200, refused.body())

    def _response_url_call(self, key: str, headers: Mapping[str, str], body: bytes) -> Reply:
        at = self.clock()
        params = _response_url_params(_content_type(headers), body)
        reply = self._scripted(RESPONSE_URL_METHOD) or self._response_url_answer(params)
        call = RecordedCall(
            RESPONSE_URL_METHOD, params or {}, reply.status, reply.body, dict(headers), body, at, key=key
        )
        return self._finish(call, reply.headers)

    def _response_url_answer(self, params: dict[str, Any] | None) -> Reply:
        if params is None:
            return Reply(400, {"ok": False, "error": "invalid_payload"})
        wants_text = not params.get("delete_original")
        if wants_text and not params.get("text") and not params.get("blocks") and not params.get("attachments"):
            return Reply(400, {"ok": False, "error": "no_text"})
        violations = validate_message(params.get("blocks"), params.get("text"))
        if violations:
            self._add_violations(RESPONSE_URL_METHOD, violations)
            return Reply(400, {"ok": False, "error": "invalid_blocks", "response_metadata": {"messages": violations}})
        return Reply(200, {"ok": True})

    def _add_violations(self, method: str, violations: list[str]) -> None:
        with self._lock:
            self._violations.extend(f"{method}: {violation}" for violation in violations)

    def _finish(self, call: RecordedCall, headers: dict[str, str] | None = None, raw: str | None = None) -> Reply:
        """Record the call, tell the callbacks, and return the reply to send."""
        with self._lock:
            self._calls.append(call)
            callbacks = list(self._callbacks)
        for callback in callbacks:
            _notify(callback, call)
        return Reply(call.status, call.response, headers or {}, raw)


def _failed(failure: Failure) -> Reply:
    return Reply(failure.status, failure.body(), failure.headers(), failure.raw_body)


def _notify(callback: Callable[[RecordedCall], None], call: RecordedCall) -> None:
    """Run one on_call callback; a failing callback is logged, never breaks the answer."""
    try:
        callback(call)
    except Exception:
        log.exception("Slack stand-in on_call callback failed for %s", call.method)


def _content_type(headers: Mapping[str, str]) -> str:
    return next((value for key, value in headers.items() if key.lower() == "content-type"), "")


def _response_url_params(content_type: str, body: bytes) -> dict[str, Any] | None:
    """A response_url body: JSON, or a form with `payload=<json>`; None if unreadable."""
    try:
        params = parse_params(content_type, body)
        if "payload" in params and isinstance(params["payload"], str):
            params = json.loads(params["payload"])
    except (MalformedBodyError, json.JSONDecodeError):
        return None
    return decode_json_fields(params) if isinstance(params, dict) else None


class _Handler(BaseHTTPRequestHandler):
    """Hands each HTTP request to the stand-in and writes its reply."""

    standin: SlackStandin
    server_version = "SlackStandin/1.0"

    def do_POST(self) -> None:
        """Answer a POST (how slack_sdk calls every method)."""
        length = int(self.headers.get("Content-Length") or 0)
        self._send(
            self.standin.handle(path=self.path, headers=dict(self.headers.items()), body=self.rfile.read(length))
        )

    def do_GET(self) -> None:
        """Answer a GET (parameters in the query string)."""
        self._send(self.standin.handle(path=self.path, headers=dict(self.headers.items()), body=b""))

    def _send(self, reply: Reply) -> None:
        payload = reply.encoded()
        try:
            self.send_response(reply.status)
            kind = "text/html" if reply.raw is not None else "application/json"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            log.debug("client went away before the stand-in answered %s", self.path)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - name fixed by http.server
        """Send access logs to `logging` at debug level instead of stderr."""
        log.debug("standin: " + format, *args)
