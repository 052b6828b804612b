"""HTTP serving: `POST /slack/events` to Bolt, `GET /healthz`, on waitress (a production WSGI server).

Nothing from the network is parsed before its Slack signature checks out: the
body is read up to a size limit, its HMAC is compared over the raw bytes, and
only then is it decoded and handed to Bolt. What cannot be parsed gets 400.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from slack_bolt import BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context
from waitress.server import TcpWSGIServer, create_server

from handlers import SIGNATURE_CHECKED
from storage.db import Health, answer_within, database_health

if TYPE_CHECKING:
    from bot.app import Copbot

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
SERVER_THREADS = 8
# Slack's biggest request is a `message_changed` event for a 40,000-character message: the new and the
# previous version, each as text and as rich-text blocks, JSON-escaped (up to 12 bytes a character for
# astral emoji written as `\ud83d\ude00`): about 2 MB. Twice that leaves room and still caps what eight
# server threads can be made to hold at 32 MB.
MAX_BODY_BYTES = 4 * 1024 * 1024
# Slack waits 3 s for an answer: a write waits at most this long for the lock, leaving the rest
# for the write itself and the answer's way back.
WRITE_WAIT_SECONDS = 2.0
SIGNATURE_MAX_AGE_SECONDS = 5 * 60  # Slack's own rule: older signed requests may be replays
TIMESTAMP_MAX_DIGITS = 12  # Unix seconds to the year 33658; int() of thousands of digits raises
PROCESS = f"{socket.gethostname()[:40]}:{os.getpid()}"  # this process's row in health_probes

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Unparseable(ValueError):
    """A signed body that is not a Slack payload (bad UTF-8, bad JSON, not an object)."""


def make_wsgi_app(copbot: Copbot) -> WsgiApp:
    """The WSGI application: signed Slack requests to Bolt, health checks answered here."""
    secret = (copbot.settings.slack_signing_secret or "").encode()

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            health = database_health(copbot.engine, process=PROCESS, now=copbot.clock.now())
            status = 200 if health is Health.OK else 503
            return _answer(start_response, status, {"status": health.value})
        if path != EVENTS_PATH:
            return _answer(start_response, 404, {"error": "not found"})
        if method != "POST":
            return _answer(start_response, 405, {"error": "POST only"})
        body = _read_body(environ)
        if body is None:
            return _answer(start_response, 413, {"error": f"body larger than {MAX_BODY_BYTES} bytes"})
        headers = _headers(environ)
        if not signed_by_slack(secret, body, headers, now=time.time()):
            return _answer(start_response, 401, {"error": "invalid signature"})
        try:
            text, parsed = parse_slack_body(body, headers.get("content-type"))
        except Unparseable as exc:
            log.warning("refused a signed request that is not a Slack payload: %s", exc)
            return _answer(start_response, 400, {"error": "not a Slack payload"})
        request = bolt_request(text, parsed, query=environ.get("QUERY_STRING", ""), headers=headers)
        with answer_within(WRITE_WAIT_SECONDS):  # a write that cannot start in time answers "busy" in time
            response = copbot.bolt.dispatch(request)
        start_response(_status_line(response.status), [(k, v) for k, vs in response.headers.items() for v in vs])
        return [response.body.encode()]

    return application


def signed_by_slack(secret: bytes, body: bytes, headers: dict[str, str], *, now: float) -> bool:
    """Whether `body` carries a fresh Slack signature (`v0=` HMAC-SHA256 over `v0:timestamp:body`, raw bytes)."""
    timestamp, signature = headers.get("x-slack-request-timestamp", ""), headers.get("x-slack-signature", "")
    if (
        not secret
        or not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= TIMESTAMP_MAX_DIGITS)
        or not signature.isascii()
        or abs(now - int(timestamp)) > SIGNATURE_MAX_AGE_SECONDS
    ):
        return False
    expected = "v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def parse_slack_body(body: bytes, content_type: str | None) -> tuple[str, dict[str, Any]]:
    """The body as text and as parsed: a typed JSON object, an interaction's payload or a command form."""
    try:
        text = body.decode("utf-8")
        if content_type == "application/json" or text.startswith("{"):
            parsed: Any = json.loads(text)
        else:
            form = dict(parse_qsl(text, keep_blank_values=True))
            parsed = json.loads(form["payload"]) if "payload" in form else form
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Unparseable(type(exc).__name__) from exc
    if not isinstance(parsed, dict):
        raise Unparseable(f"a JSON {type(parsed).__name__}, not an object")
    if not (isinstance(parsed.get("type"), str) or "command" in parsed or "ssl_check" in parsed):
        raise Unparseable("neither an event, an interaction nor a slash command")
    return text, parsed


def bolt_request(text: str, parsed: dict[str, Any], *, query: str, headers: dict[str, str]) -> BoltRequest:
    """The request for Bolt, made once its signature checked out: marked so (CopbotBolt refuses an
    HTTP request without the mark; Bolt's own check is off), with the body as parsed here.

    Bolt does not parse it again; its own parser would also take any form body containing the word
    "payload" for an interaction (`/cop who payload` came out empty, and unhandled).
    """
    request = BoltRequest(body="", query=query, headers=dict(headers))
    request.raw_body, request.body = text, parsed
    request.context = build_context(BoltContext(), parsed)
    request.context[SIGNATURE_CHECKED] = True
    return request


def _read_body(environ: dict[str, Any]) -> bytes | None:
    """The request body, or None when it is (or says it is) larger than MAX_BODY_BYTES."""
    try:
        declared = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    declared = max(declared, 0)  # a negative length would make read() take everything there is
    if declared > MAX_BODY_BYTES:
        return None
    body: bytes = environ["wsgi.input"].read(min(declared, MAX_BODY_BYTES))
    return body


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {key[5:].lower().replace("_", "-"): value for key, value in environ.items() if key.startswith("HTTP_")}
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.lower().replace("_", "-")] = environ[key]
    return headers


def _answer(start_response: StartResponse, status: int, payload: dict[str, str]) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(_status_line(status), [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _status_line(status: int) -> str:
    return f"{status} {HTTPStatus(status).phrase}"


class OncePerInterval(logging.Filter):
    """Lets one record through per interval. waitress warns "Task queue depth is N" for every request
    that finds all its threads busy: under load, thousands of lines a minute that say one thing."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self._seconds = seconds
        self._next = 0.0
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        with self._lock:
            if now < self._next:
                return False
            self._next = now + self._seconds
        return True


QUEUE_WARNINGS = OncePerInterval(60.0)


def _create_server(copbot: Copbot, **options: Any) -> TcpWSGIServer:
    queue_log = logging.getLogger("waitress.queue")
    if QUEUE_WARNINGS not in queue_log.filters:
        queue_log.addFilter(QUEUE_WARNINGS)
    server = create_server(
        make_wsgi_app(copbot),
        threads=SERVER_THREADS,
        ident="copbot",
        max_request_body_size=MAX_BODY_BYTES,
        **options,
    )
    assert isinstance(server, TcpWSGIServer)  # one host and port: a single TCP server
    return server


@dataclass
class RunningServer:
    """An HTTP server serving copbot on a background thread."""

    url: str
    port: int
    _server: Any
    _thread: threading.Thread

    def stop(self) -> None:
        """Let requests in progress finish, then close every connection from the server's own loop thread."""
        server = self._server
        server.task_dispatcher.shutdown(timeout=5)  # no worker thread writes to a socket after this

        def close_all() -> None:
            for dispatcher in list(server._map.values()):
                dispatcher.close()

        try:
            server.trigger.pull_trigger(close_all)
        except OSError:  # the loop has already closed its trigger: nothing is left to close
            return
        self._thread.join(5)


def start_http_server(copbot: Copbot, *, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    """Serve copbot on a thread (port 0 picks a free port); for tests and `copbot shell`."""
    server = _create_server(copbot, host=host, port=port, asyncore_loop_timeout=0.05)  # stop() returns promptly
    thread = threading.Thread(target=server.run, name="copbot-http", daemon=True)
    thread.start()
    bound = int(server.getsockname()[1])
    return RunningServer(url=f"http://{host}:{bound}", port=bound, _server=server, _thread=thread)


def serve_forever(copbot: Copbot) -> None:
    """Serve copbot in the foreground until interrupted."""
    _create_server(copbot, host=copbot.settings.host, port=copbot.settings.port).run()


def socket_mode_handler(copbot: Copbot, app_token: str) -> Any:
    """Bolt's Socket Mode handler, answering each envelope as the HTTP server answers a request: a
    write that cannot start within WRITE_WAIT_SECONDS says "busy" in time instead of waiting."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.socket_mode.client import BaseSocketModeClient
    from slack_sdk.socket_mode.request import SocketModeRequest

    class Handler(SocketModeHandler):
        def handle(self, client: BaseSocketModeClient, req: SocketModeRequest) -> None:
            with answer_within(WRITE_WAIT_SECONDS):
                super().handle(client, req)  # type: ignore[arg-type]

    return Handler(copbot.bolt, app_token, web_client=copbot.client)
