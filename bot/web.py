"""HTTP serving: `POST /slack/events` to Bolt, `GET /healthz`, on waitress (a production WSGI server)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import TcpWSGIServer, create_server

from storage.db import database_answers

if TYPE_CHECKING:
    from bot.app import Copbot

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
SERVER_THREADS = 8

StartResponse = Callable[..., Any]


def make_wsgi_app(copbot: Copbot) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The WSGI application: Slack requests to Bolt, health checks answered here."""
    slack = SlackRequestHandler(copbot.bolt, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            healthy = database_answers(copbot.engine)
            body = json.dumps({"status": "ok" if healthy else "unavailable"}).encode()
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return slack(environ, start_response)

    return application


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
    server = create_server(
        make_wsgi_app(copbot),
        host=host,
        port=port,
        threads=SERVER_THREADS,
        ident="copbot",
        asyncore_loop_timeout=0.05,  # lets stop() return promptly
    )
    assert isinstance(server, TcpWSGIServer)  # one host and port: a single TCP server
    thread = threading.Thread(target=server.run, name="copbot-http", daemon=True)
    thread.start()
    bound = int(server.getsockname()[1])
    return RunningServer(url=f"http://{host}:{bound}", port=bound, _server=server, _thread=thread)


def serve_forever(copbot: Copbot) -> None:
    """Serve copbot in the foreground until interrupted."""
    server = create_server(
        make_wsgi_app(copbot),
        host=copbot.settings.host,
        port=copbot.settings.port,
        threads=SERVER_THREADS,
        ident="copbot",
    )
    server.run()
