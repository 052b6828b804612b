"""Slack's Socket Mode, locally: `apps.connections.open` hands out a `ws://` URL to this server, which
speaks Slack's envelopes over WebSocket.

On each connection it says `hello`; `send` delivers an envelope (`slash_commands`, `events_api`,
`interactive`) to the app's newest connection and `ack_for` returns the app's acknowledgement
(`{"envelope_id": …, "payload": …}`); `disconnect` asks the app to reconnect, as Slack does
before it recycles a connection (`refresh_requested`).
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

log = logging.getLogger(__name__)

APP_ID = "A0001"


class SocketModeServer:
    """The WebSocket end of Socket Mode for the stand-in; started on first use."""

    def __init__(self) -> None:
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: list[ServerConnection] = []
        self._acks: dict[str, dict[str, Any]] = {}
        self._changed = threading.Condition()
        self.opened = 0  # connections the app has made so far

    def start(self) -> None:
        """Listen on 127.0.0.1 (a free port) from a daemon thread."""
        if self._server is not None:
            return
        self._server = serve(self._serve, "127.0.0.1", 0, compression=None, logger=log)
        self._thread = threading.Thread(target=self._server.serve_forever, name="slack-standin-socket", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Close every connection and stop listening."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def new_url(self) -> str:
        """A URL for one connection, as `apps.connections.open` returns it."""
        self.start()
        assert self._server is not None
        port = self._server.socket.getsockname()[1]
        return f"ws://127.0.0.1:{port}/link/?ticket={uuid.uuid4()}&app_id={APP_ID}"

    def wait_for_connections(self, count: int, timeout: float = 10.0) -> None:
        """Wait until the app has opened `count` connections in all."""
        with self._changed:
            if not self._changed.wait_for(lambda: self.opened >= count, timeout):
                raise TimeoutError(f"the app opened {self.opened} Socket Mode connections, not {count}")

    def send(self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = False) -> str:
        """Deliver one envelope to the app's newest open connection; its envelope id."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
            "retry_attempt": 0,
            "retry_reason": "",
        }
        self._newest().send(json.dumps(envelope))
        return envelope_id

    def ack_for(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The app's acknowledgement of an envelope (waits for it)."""
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self._acks, timeout):
                raise TimeoutError(f"no ack for envelope {envelope_id}")
            return self._acks[envelope_id]

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the app to reconnect, as Slack does before it recycles a connection."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "standin"}}
        self._newest().send(json.dumps(message))

    def _newest(self) -> ServerConnection:
        with self._changed:
            if not self._connections:
                raise RuntimeError("the app has no open Socket Mode connection")
            return self._connections[-1]

    def _serve(self, connection: ServerConnection) -> None:
        with self._changed:
            self._connections.append(connection)
            self.opened += 1
            self._changed.notify_all()
        hello = {
            "type": "hello",
            "num_connections": len(self._connections),
            "debug_info": {"host": "standin", "approximate_connection_time": 3600},
            "connection_info": {"app_id": APP_ID},
        }
        try:
            connection.send(json.dumps(hello))
            for raw in connection:
                self._receive(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                self._connections.remove(connection)
                self._changed.notify_all()

    def _receive(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            log.warning("the app sent something that is not JSON over Socket Mode: %r", raw[:80])
            return
        if isinstance(message, dict) and message.get("envelope_id"):
            with self._changed:
                self._acks[str(message["envelope_id"])] = message
                self._changed.notify_all()
