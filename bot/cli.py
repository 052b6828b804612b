"""The `copbot` command line: serve, migrate, jobs, manifest, shell."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING

from bot.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from schedules.scheduler import PlannedJob

log = logging.getLogger("copbot")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `copbot` console script and `python -m bot`."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args))
    except SettingsError as exc:
        print(f"copbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="copbot", description="Communities of practice in Slack.")
    commands = parser.add_subparsers(metavar="COMMAND")
    serve = commands.add_parser("serve", help="migrate, start the scheduler and serve Slack")
    serve.set_defaults(handler=cmd_serve)
    migrate = commands.add_parser("migrate", help="upgrade the database schema to the latest migration")
    migrate.set_defaults(handler=cmd_migrate)
    jobs = commands.add_parser("jobs", help="list or run scheduled jobs").add_subparsers(metavar="ACTION")
    jobs.add_parser("list", help="every scheduled job with its next run time").set_defaults(handler=cmd_jobs_list)
    run = jobs.add_parser("run", help="run a job now and deliver what it queued")
    run.add_argument("job")
    run.add_argument("--community", metavar="NAME")
    run.add_argument("--force", action="store_true", help="run again even if this period is done")
    run.set_defaults(handler=cmd_jobs_run)
    manifest = commands.add_parser("manifest", help="print the Slack app manifest (YAML)")
    manifest.add_argument("--url", help="public base URL of this copbot (default: a placeholder)")
    manifest.set_defaults(handler=cmd_manifest)
    shell = commands.add_parser("shell", help="talk to copbot in a terminal, no Slack needed")
    shell.set_defaults(handler=cmd_shell)
    start = commands.add_parser("run", help="what `make run` does: serve when Slack is configured, else the shell")
    start.set_defaults(handler=cmd_run)
    return parser


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def cmd_migrate(_args: argparse.Namespace) -> int:
    """Upgrade the schema; running it again changes nothing."""
    from storage.db import make_engine
    from storage.migrate import current_revision, upgrade

    settings = load_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    print(f"Database {engine.url.render_as_string(hide_password=True)} is at schema {current_revision(engine)}.")
    engine.dispose()
    return 0


def cmd_serve(_args: argparse.Namespace) -> int:
    """Migrate, then serve Slack over HTTP or Socket Mode until stopped."""
    settings = load_settings()
    missing = settings.missing_for_serve()
    if missing is not None:
        print(f"copbot: missing setting {missing} (set it in the environment or .env)", file=sys.stderr)
        return 2
    _configure_logging()
    return _serve(settings)


def _serve(settings: Settings) -> int:
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    from bot.app import create_app
    from bot.web import serve_forever, start_http_server
    from storage.db import make_engine
    from storage.migrate import upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    try:
        copbot = create_app(settings)
    except (BoltError, SlackApiError, OSError) as exc:
        print(f"copbot: Slack did not accept SLACK_BOT_TOKEN at {settings.slack_api_url}: {exc}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)
    copbot.start_background()
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            health = start_http_server(copbot, host=settings.host, port=settings.port)
            log.info("Socket Mode; health check on %s/healthz", health.url)
            try:
                handler = SocketModeHandler(copbot.bolt, settings.slack_app_token, web_client=copbot.client)
                handler.start()  # type: ignore[no-untyped-call]  # slack_bolt leaves start() unannotated
            except SlackApiError as exc:
                print(
                    f"copbot: Slack refused SLACK_APP_TOKEN for Socket Mode: {exc.response.get('error')}",
                    file=sys.stderr,
                )
                return 2
            finally:
                health.stop()
        else:
            log.info("serving Slack on http://%s:%s/slack/events", settings.host, settings.port)
            serve_forever(copbot)
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        copbot.stop()
    return 0


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def cmd_jobs_list(_args: argparse.Namespace) -> int:
    """Print every scheduled job and when it runs next."""
    from bot.app import make_scheduler
    from bot.clock import SystemClock
    from storage.db import make_engine, make_session_factory
    from storage.migrate import upgrade

    settings = load_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    scheduler = make_scheduler(settings, clock=SystemClock(), sessions=make_session_factory(engine))
    planned = scheduler.planned()
    workspace = [job for job in planned if job.community is None]
    print("Workspace jobs:")
    for job in workspace:
        print(f"  {job.job:<13} next {_when(job):<22} {job.description}")
    communities = [job for job in planned if job.community is not None]
    if not communities:
        print("Community jobs: none yet (no community has been created).")
    for community in dict.fromkeys(job.community for job in communities):
        print(f"Community {community}:")
        for job in (job for job in communities if job.community == community):
            print(f"  {job.job:<13} next {_when(job):<22} {job.when}")
    engine.dispose()
    return 0


def _when(job: PlannedJob) -> str:
    return job.next_run.astimezone(job.zone).strftime("%Y-%m-%d %H:%M %Z") if job.next_run else "—"


def cmd_jobs_run(args: argparse.Namespace) -> int:
    """Run one job now, then deliver what it queued before returning."""
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    from bot.app import create_app
    from schedules.scheduler import UnknownJob
    from storage.db import make_engine
    from storage.migrate import upgrade

    settings = load_settings()
    if settings.slack_bot_token is None:
        print("copbot: missing setting SLACK_BOT_TOKEN (jobs send Slack messages)", file=sys.stderr)
        return 2
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    try:
        copbot = create_app(settings)
    except (BoltError, SlackApiError, OSError) as exc:
        print(f"copbot: Slack did not accept SLACK_BOT_TOKEN at {settings.slack_api_url}: {exc}", file=sys.stderr)
        return 2
    try:
        try:
            results = copbot.scheduler.run(args.job, community=args.community, force=args.force)
        except UnknownJob as exc:
            print(f"copbot: {exc}", file=sys.stderr)
            return 2
        if not results:
            print(f"{args.job}: no live community to run it for")
        for result in results:
            state = "ran" if result.ran else "skipped"
            where = f" for {result.community}" if result.community else ""
            print(f"{result.job}{where} {result.period}: {state} — {result.summary}")
        report = copbot.worker.deliver_queued(sleep=time.sleep)
        waiting = copbot.worker.pending_count()
        later = copbot.worker.waiting_for_working_hours()
        print(
            f"delivered {len(report.sent)} message(s), {len(report.failed)} failed, "
            f"{waiting - later} waiting to retry, {later} waiting for their recipients' working hours"
        )
    finally:
        copbot.stop()
    return 0


def cmd_manifest(args: argparse.Namespace) -> int:
    """Print the app manifest YAML."""
    from bot.manifest import render_manifest

    sys.stdout.write(render_manifest(load_settings(), base_url=args.url))
    return 0


def cmd_shell(_args: argparse.Namespace) -> int:
    """Run the local sandbox."""
    from bot.sandbox.shell import run_shell

    return run_shell(sys.stdin, sys.stdout)


def cmd_run(args: argparse.Namespace) -> int:
    """Serve when Slack credentials are configured; otherwise migrate and open the shell."""
    settings = load_settings()
    if settings.missing_for_serve() is None:
        _configure_logging()
        return _serve(settings)
    print(
        "No Slack credentials in the environment or .env, so here is the local shell; "
        "to connect a workspace see README.md → Connect a Slack workspace."
    )
    cmd_migrate(args)
    return cmd_shell(args)
