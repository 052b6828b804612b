"""The `copbot` command line: serve, migrate, jobs, manifest, shell."""

from __future__ import annotations

import argparse
import difflib
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING

from bot.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.app import Copbot
    from schedules.scheduler import PlannedJob

log = logging.getLogger("copbot")

SLACK_REFUSALS = {
    "invalid_auth": "the token is not one Slack knows: copy the Bot User OAuth Token (xoxb-…) again",
    "not_authed": "no token reached Slack",
    "account_inactive": "the app was uninstalled or its bot deactivated: reinstall it to the workspace",
    "token_revoked": "the token was revoked: reinstall the app and copy the new token",
    "token_expired": "the token has expired: turn off token rotation or copy a fresh token",
}


SHELL_DATABASE = "copbot-shell.db"


class StartupError(Exception):
    """copbot cannot start; the message is one line saying what is wrong and with which setting."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `copbot` console script and `python -m bot`."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args))
    except (SettingsError, StartupError) as exc:
        print(f"copbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`copbot shell | head`): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="copbot", description="Communities of practice in Slack.")
    commands = parser.add_subparsers(metavar="COMMAND")
    serve = commands.add_parser("serve", help="migrate, start the scheduler and serve Slack")
    serve.set_defaults(handler=cmd_serve)
    migrate = commands.add_parser("migrate", help="upgrade the database schema to the latest migration")
    migrate.set_defaults(handler=cmd_migrate)
    jobs_parser = commands.add_parser("jobs", help="list or run scheduled jobs")
    jobs_parser.set_defaults(handler=lambda _args: _print_help(jobs_parser))
    jobs = jobs_parser.add_subparsers(metavar="ACTION")
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
    shell.add_argument(
        "--keep",
        nargs="?",
        const=SHELL_DATABASE,
        metavar="FILE",
        help=f"keep the sandbox's database between runs, in a file of its own (default {SHELL_DATABASE})",
    )
    shell.set_defaults(handler=cmd_shell)
    start = commands.add_parser("run", help="what `make run` does: serve when Slack is configured, else the shell")
    start.set_defaults(handler=cmd_run)
    return parser


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _configure_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # copbot says in one line when it migrates


def cmd_migrate(_args: argparse.Namespace) -> int:
    """Upgrade the schema; running it again changes nothing."""
    from storage.migrate import current_revision

    engine = open_database(load_settings())
    print(f"Database {engine.url.render_as_string(hide_password=True)} is at schema {current_revision(engine)}.")
    engine.dispose()
    return 0


def open_database(settings: Settings) -> Engine:
    """The database at DATABASE_URL, migrated; StartupError (one line) when it cannot be opened."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    from storage.db import make_engine
    from storage.migrate import current_revision, upgrade

    try:
        engine = make_engine(settings.database_url)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise StartupError(f"invalid setting DATABASE_URL: {_first_line(exc)}") from None
    shown = engine.url.render_as_string(hide_password=True)
    try:
        if upgrade(engine):
            log.info("database %s migrated to schema %s", shown, current_revision(engine))
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = _first_line(getattr(exc, "orig", None) or exc)
        raise StartupError(f"cannot use the database at DATABASE_URL ({shown}): {reason}") from None
    return engine


def connect_to_slack(settings: Settings) -> Copbot:
    """The app, built once Slack has said who we are; StartupError telling unreachable from refused."""
    from urllib.error import URLError

    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    from bot.app import create_app

    sdk_log = logging.getLogger("slack_sdk")
    level = sdk_log.level
    sdk_log.setLevel(logging.CRITICAL)  # the one line below says it better than the SDK's error log
    try:
        return create_app(settings)
    except SlackApiError as exc:
        error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
        why = SLACK_REFUSALS.get(error, "see https://api.slack.com/methods/auth.test")
        raise StartupError(f"Slack refused SLACK_BOT_TOKEN ({error}): {why}") from None
    except (URLError, OSError, TimeoutError) as exc:
        reason = exc.reason if isinstance(exc, URLError) else exc
        raise StartupError(
            f"could not reach Slack at {settings.slack_api_url} ({_first_line(reason)}); "
            "nothing was refused: check the network, DNS or proxy"
        ) from None
    except BoltError as exc:
        raise StartupError(f"Slack's Bolt would not start: {_first_line(exc)}") from None
    finally:
        sdk_log.setLevel(level)


def _first_line(error: object) -> str:
    text = str(getattr(error, "strerror", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


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
    from slack_sdk.errors import SlackApiError

    from bot.web import serve_forever, socket_mode_handler, start_http_server

    open_database(settings).dispose()
    copbot = connect_to_slack(settings)
    signal.signal(signal.SIGTERM, _interrupt)
    copbot.start_background()
    try:
        if settings.socket_mode:
            health = start_http_server(copbot, host=settings.host, port=settings.port)
            log.info("Socket Mode; health check on %s/healthz", health.url)
            try:
                handler = socket_mode_handler(copbot, settings.slack_app_token or "")
                handler.start()
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
    from storage.db import make_session_factory

    settings = load_settings()
    engine = open_database(settings)
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
    from bot.app import JOB_NAMES
    from schedules.scheduler import UnknownJob

    settings = load_settings()
    if args.job not in JOB_NAMES:
        close = difflib.get_close_matches(args.job, JOB_NAMES, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        print(f"copbot: unknown job {args.job!r}{hint}; jobs are: {', '.join(JOB_NAMES)}", file=sys.stderr)
        return 2
    if settings.slack_bot_token is None:
        print("copbot: missing setting SLACK_BOT_TOKEN (jobs send Slack messages)", file=sys.stderr)
        return 2
    open_database(settings).dispose()
    copbot = connect_to_slack(settings)
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
    from urllib.parse import urlsplit

    from bot.manifest import render_manifest

    if args.url is not None:
        parts = urlsplit(args.url)
        if parts.scheme != "https" or not parts.netloc:
            print(
                f"copbot: --url must be the full https address Slack reaches copbot at, "
                f"such as https://copbot.example.com (got {args.url!r})",
                file=sys.stderr,
            )
            return 2
    sys.stdout.write(render_manifest(load_settings(), base_url=args.url))
    return 0


def cmd_shell(args: argparse.Namespace) -> int:
    """Run the local sandbox (on a temporary database, or a kept one of its own with --keep)."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from bot.sandbox.shell import run_shell

    keep = Path(args.keep) if getattr(args, "keep", None) else None
    if keep is not None:
        try:
            production = make_url(load_settings().database_url).database
        except Exception:  # an unreadable DATABASE_URL names no file the sandbox could overwrite
            production = None
        if production and Path(production).resolve() == keep.resolve():
            raise StartupError(f"--keep {keep} is copbot's own database (DATABASE_URL); give the sandbox another file")
    return run_shell(sys.stdin, sys.stdout, keep=keep)


def cmd_run(args: argparse.Namespace) -> int:
    """Serve when Slack credentials are configured; otherwise migrate and open the shell."""
    settings = load_settings()
    missing = settings.missing_for_serve()
    if missing is None:
        _configure_logging()
        return _serve(settings)
    given = [
        name
        for name, value in (
            ("SLACK_BOT_TOKEN", settings.slack_bot_token),
            ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
            ("SLACK_APP_TOKEN", settings.slack_app_token),
        )
        if value
    ]
    if not given:
        why = "No Slack credentials in the environment or .env"
    else:
        why = f"{missing} is not set ({' and '.join(given)} {'is' if len(given) == 1 else 'are'})"
    print(f"{why}, so here is the local shell; to connect a workspace see README.md → Connect a Slack workspace.")
    return cmd_shell(args)
