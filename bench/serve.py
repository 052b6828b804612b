"""`python -m bench.serve bare|copbot PORT API_URL DATABASE_URL`: one server for the load benchmark,
in a process of its own, so the clients' threads do not share its interpreter lock.

`bare` is a Bolt app answering `/cop` and ignoring message events, on waitress with the same
threads and `process_before_response=True`: what any Bolt app costs. `copbot` is copbot serve.
"""

from __future__ import annotations

import sys
from typing import Any

SECRET = "bench-secret"
TOKEN = "xoxb-test"


def bare_app(api_url: str, token: str = TOKEN) -> Any:
    """A Bolt app answering `/cop` and ignoring message events, with `process_before_response`:
    what any Bolt app costs (the `load` and `latency` benchmarks' baseline)."""
    from slack_bolt import Ack, App
    from slack_sdk import WebClient

    app = App(signing_secret=SECRET, client=WebClient(token=token, base_url=api_url), process_before_response=True)

    @app.command("/cop")
    def answer(ack: Ack) -> None:
        ack(text="help")

    @app.event("message")
    def ignore(event: dict[str, Any]) -> None:
        return None

    return app


def bare(port: int, api_url: str) -> None:
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from waitress import serve

    from bot.web import SERVER_THREADS

    serve(SlackRequestHandler(bare_app(api_url)), host="127.0.0.1", port=port, threads=SERVER_THREADS, _quiet=True)


def copbot(port: int, api_url: str, database_url: str) -> None:
    from bot.app import create_app
    from bot.settings import Settings
    from bot.web import serve_forever
    from storage.migrate import upgrade

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=api_url,
        database_url=database_url,
        scheduler=False,
        host="127.0.0.1",
        port=port,
    )
    app = create_app(settings)
    upgrade(app.engine)
    app.start_background()  # the delivery worker, as `copbot serve` runs it
    serve_forever(app)


if __name__ == "__main__":
    kind, port, api_url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if kind == "bare":
        bare(port, api_url)
    else:
        copbot(port, api_url, sys.argv[4])
