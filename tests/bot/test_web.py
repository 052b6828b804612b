"""`GET /healthz` tells a load balancer whether the database answers."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from tests.conftest import RunningCopbot


def get(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_healthz_is_ok_while_the_database_answers(running: RunningCopbot) -> None:
    assert get(f"{running.server.url}/healthz") == (200, {"status": "ok"})


def test_healthz_is_503_when_the_database_is_gone(running: RunningCopbot, tmp_path: object) -> None:
    from storage.db import make_engine

    running.copbot.engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    status, body = get(f"{running.server.url}/healthz")
    assert status == 503 and body["status"] != "ok"
