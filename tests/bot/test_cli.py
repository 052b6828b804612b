"""The `copbot` command line as an operator uses it: real processes, real exit codes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from bot.clock import SystemClock
from bot.delivery.outbox import post_message
from bot.sandbox.standin import SlackStandin
from storage.db import make_engine, make_session_factory
from storage.migrate import head_revision, upgrade
from storage.models import OutboxMessage, OutboxStatus

ROOT = Path(__file__).resolve().parents[2]


def copbot(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 20,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**_base_env(), **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
    )


def _base_env() -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "SYSTEMROOT")
    return {key: os.environ[key] for key in keep if key in os.environ} | {"PYTHONPATH": str(ROOT)}


def test_serve_without_bot_token_exits_at_once_with_one_line_naming_it(tmp_path: Path) -> None:
    started = time.monotonic()
    result = copbot("serve", cwd=tmp_path, timeout=5)
    assert time.monotonic() - started < 5
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SLACK_BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_serve_with_an_invalid_setting_names_it(tmp_path: Path) -> None:
    result = copbot(
        "serve", env={"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "http"}, cwd=tmp_path, timeout=5
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and "PORT" in result.stderr


def test_settings_are_read_from_dot_env(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("COPBOT_TIMEZONE=Mars/Olympus\n")
    result = copbot("serve", cwd=tmp_path, timeout=5)
    assert result.returncode != 0 and "COPBOT_TIMEZONE" in result.stderr


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/copbot.db"}
    first, second = copbot("migrate", env=env, cwd=tmp_path), copbot("migrate", env=env, cwd=tmp_path)
    assert first.returncode == second.returncode == 0
    assert f"schema {head_revision()}" in second.stdout


def test_manifest_is_valid_yaml_with_what_copbot_needs(tmp_path: Path) -> None:
    result = copbot("manifest", cwd=tmp_path)
    manifest = yaml.safe_load(result.stdout)
    features, settings = manifest["features"], manifest["settings"]
    [command] = features["slash_commands"]
    assert command["command"] == "/cop" and command["should_escape"] is True
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "member_joined_channel",
        "member_left_channel",
        "team_join",
        "user_change",
        "app_home_opened",
        "message.channels",
        "message.groups",
    }
    assert features["shortcuts"][0]["name"] == "Save as community resource"
    assert features["shortcuts"][0]["type"] == "message"
    assert settings["interactivity"]["is_enabled"] is True
    assert features["app_home"]["home_tab_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "channels:read", "groups:read", "users:read"} <= scopes


def test_manifest_in_socket_mode_has_no_request_urls(tmp_path: Path) -> None:
    result = copbot("manifest", env={"SLACK_APP_TOKEN": "xapp-1", "COPBOT_COMMAND": "/practice"}, cwd=tmp_path)
    manifest = yaml.safe_load(result.stdout)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["event_subscriptions"]
    assert manifest["features"]["slash_commands"][0]["command"] == "/practice"


def test_jobs_list_shows_next_run_times(tmp_path: Path) -> None:
    result = copbot("jobs", "list", env={"COPBOT_TIMEZONE": "Europe/Berlin"}, cwd=tmp_path)
    assert result.returncode == 0
    assert "reminders" in result.stdout and ("CET" in result.stdout or "CEST" in result.stdout)


def test_shell_runs_a_script(tmp_path: Path) -> None:
    result = copbot("shell", cwd=tmp_path, stdin="/cop jion\nas bob\n/cop help\nquit\n", timeout=30)
    assert result.returncode == 0, result.stderr
    assert "Did you mean `/cop join`?" in result.stdout
    assert "You are now @bob." in result.stdout
    assert "Workspace admins" not in result.stdout.split("You are now @bob.")[1]


def test_killed_while_slack_fails_then_restarted_delivers_exactly_once(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path}/copbot.db"
    engine = make_engine(database_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    with SlackStandin() as standin:
        with sessions.begin() as session:
            post_message(session, channel="U_BOB", text="welcome, bob", kind="test", now=SystemClock().now())
        # A clear "not now" from Slack (a 5xx would make the worker wait out the landing window first)
        standin.fail_next("chat.postMessage", error="service_unavailable", times=1000)
        env = {
            "SLACK_BOT_TOKEN": standin.token,
            "SLACK_SIGNING_SECRET": "secret",
            "SLACK_API_URL": standin.url,
            "DATABASE_URL": database_url,
            "HOST": "127.0.0.1",
            "PORT": "0",
            "COPBOT_SCHEDULER": "off",
        }
        first = _start_serve(env, tmp_path)

        def failed_and_waiting() -> bool:
            # Kill between attempts: a kill mid-request is covered in test_delivery (lease, history check).
            with sessions() as session:
                row = session.scalar(select(OutboxMessage))
                return row is not None and row.attempts >= 1 and row.status == OutboxStatus.PENDING

        _wait_for(failed_and_waiting, first)
        first.send_signal(signal.SIGKILL)
        first.wait(5)
        assert standin.messages_to("U_BOB") == []

        standin.reset()
        second = _start_serve(env, tmp_path)
        try:
            _wait_for(lambda: len(standin.messages_to("U_BOB")) >= 1, second, timeout=20)
            time.sleep(0.5)  # room for a wrong second send to show up
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(10)
        assert [call.params["text"] for call in standin.messages_to("U_BOB")] == ["welcome, bob"]
        with sessions() as session:
            assert session.scalar(select(OutboxMessage.status)) == OutboxStatus.SENT
    engine.dispose()


def _start_serve(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        env={**_base_env(), **env},
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _wait_for(condition: object, process: subprocess.Popen[str], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert process.poll() is None, "copbot serve exited early"
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_jobs_run_reminders_delivers_before_returning_and_skips_a_done_period(tmp_path: Path) -> None:
    from datetime import timedelta

    from storage.models import WelcomeAlert
    from tests.factories import add_community, add_member

    database_url = f"sqlite:///{tmp_path}/copbot.db"
    engine = make_engine(database_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    long_ago = SystemClock().now() - timedelta(hours=30)
    with sessions.begin() as session:
        community = add_community(session, name="python", coordinator="U_ALICE", now=long_ago)
        membership = add_member(session, community=community, user_id="U_BOB", now=long_ago)
        session.add(
            WelcomeAlert(
                membership_id=membership.id, community_id=community.id, newcomer_id="U_BOB", created_at=long_ago
            )
        )
    with SlackStandin() as standin:
        env = {"SLACK_BOT_TOKEN": standin.token, "SLACK_API_URL": standin.url, "DATABASE_URL": database_url}
        first = copbot("jobs", "run", "reminders", env=env, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert "raised 1 unclaimed welcome" in first.stdout and "0 failed, 0 waiting" in first.stdout
        [dm] = standin.messages_to("U_ALICE")
        assert "<@U_BOB>" in dm.params["text"]
        again = copbot("jobs", "run", "reminders", env=env, cwd=tmp_path)
        assert "skipped" in again.stdout and len(standin.messages_to("U_ALICE")) == 1
        unknown = copbot("jobs", "run", "digestt", env=env, cwd=tmp_path)
        assert unknown.returncode == 2 and "unknown job 'digestt' (did you mean digest?)" in unknown.stderr
    engine.dispose()


def test_socket_mode_with_a_refused_app_token_says_so_in_one_line(tmp_path: Path) -> None:
    with SlackStandin() as standin:
        env = {
            "SLACK_BOT_TOKEN": standin.token,
            "SLACK_APP_TOKEN": "xapp-1-refused",
            "SLACK_API_URL": standin.url,
            "DATABASE_URL": f"sqlite:///{tmp_path}/copbot.db",
            "PORT": "0",
            "COPBOT_SCHEDULER": "off",
        }
        result = copbot("serve", env=env, cwd=tmp_path, timeout=20)
    assert result.returncode == 2
    assert "copbot: Slack refused SLACK_APP_TOKEN for Socket Mode: invalid_auth" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_in_socket_mode_connects_and_answers_a_command(tmp_path: Path) -> None:
    from urllib.parse import parse_qsl

    from bot.sandbox.standin.requests import slash_command_body

    with SlackStandin() as standin:
        env = {
            "SLACK_BOT_TOKEN": standin.token,
            "SLACK_APP_TOKEN": standin.app_token,
            "SLACK_API_URL": standin.url,
            "DATABASE_URL": f"sqlite:///{tmp_path}/copbot.db",
            "PORT": "0",
            "COPBOT_SCHEDULER": "off",
        }
        process = _start_serve(env, tmp_path)
        try:
            standin.socket_mode.wait_for_connections(1, timeout=20)
            body = slash_command_body(command="/cop", text="list", user_id="U_BOB", channel_id="C_GENERAL")
            envelope = standin.socket_mode.send("slash_commands", dict(parse_qsl(body)), accepts_response_payload=True)
            ack = standin.socket_mode.ack_for(envelope)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(10)
    assert ack["payload"]["text"] == "0 communities of practice"


def _community_with_coordinators(database_url: str, created: datetime) -> None:
    from storage.models import Role, RoleAssignment
    from tests.factories import add_community

    engine = make_engine(database_url)
    upgrade(engine)
    with make_session_factory(engine).begin() as session:
        community = add_community(session, name="python", coordinator="U_ALICE", now=created)
        session.add(
            RoleAssignment(
                community_id=community.id,
                user_id="U_CAROL",
                role=Role.COORDINATOR,
                assigned_by="U_ALICE",
                assigned_at=created,
            )
        )
    engine.dispose()


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_three_racing_jobs_run_digest_processes_send_one_digest_per_coordinator_and_force_sends_again(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    database_url = (
        f"sqlite:///{tmp_path}/copbot.db" if database == "sqlite" else request.getfixturevalue("postgres_url")
    )
    _community_with_coordinators(database_url, SystemClock().now() - timedelta(days=20))
    with SlackStandin() as standin:
        env = {"SLACK_BOT_TOKEN": standin.token, "SLACK_API_URL": standin.url, "DATABASE_URL": database_url}
        racing = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", "jobs", "run", "digest"],
                env={**_base_env(), **env},
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = [process.communicate(timeout=60) for process in racing]
        assert [process.returncode for process in racing] == [0, 0, 0], outputs
        ran = [out for out, _ in outputs if ": ran — sent the digest to 2 coordinators" in out]
        skipped = [out for out, _ in outputs if ": skipped — already done for this period" in out]
        assert len(ran) == 1 and len(skipped) == 2, outputs
        assert "digest for python" in ran[0] and "0 failed" in ran[0]

        def digests() -> list[Any]:
            return [c for c in standin.calls_to("chat.postMessage") if "health digest" in c.params.get("text", "")]

        assert sorted(c.params["channel"] for c in digests()) == ["U_ALICE", "U_CAROL"]
        forced = copbot("jobs", "run", "digest", "--community", "python", "--force", env=env, cwd=tmp_path, timeout=60)
        assert forced.returncode == 0 and ": ran — sent the digest to 2 coordinators" in forced.stdout
        assert len(digests()) == 4


def test_jobs_run_names_what_is_wrong_with_the_job_or_the_community(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path}/copbot.db"
    _community_with_coordinators(database_url, SystemClock().now() - timedelta(days=1))
    with SlackStandin() as standin:
        env = {"SLACK_BOT_TOKEN": standin.token, "SLACK_API_URL": standin.url, "DATABASE_URL": database_url}
        unknown = copbot("jobs", "run", "digest", "--community", "pyhton", env=env, cwd=tmp_path)
        assert unknown.returncode == 2 and "there is no community called 'pyhton'" in unknown.stderr
        workspace = copbot("jobs", "run", "reminders", "--community", "python", env=env, cwd=tmp_path)
        assert workspace.returncode == 2 and "reminders is a workspace job" in workspace.stderr
        off = copbot("jobs", "run", "checkin", env=env, cwd=tmp_path)
        assert off.returncode == 0 and "checkin for python -: skipped — its schedule is off" in off.stdout
        listed = copbot("jobs", "list", env=env, cwd=tmp_path)
        assert "Community python:" in listed.stdout and "every Monday at 09:00 (UTC)" in listed.stdout
        assert "checkin" in listed.stdout and "reminders" in listed.stdout


def one_line_and_gone(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a failed start prints (after at most a line saying the database was migrated)."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout and "As you gave" not in result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if "migrated to schema" not in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


def serve_env(**extra: str) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "COPBOT_SCHEDULER": "off", **extra}


def test_serve_tells_an_unreachable_slack_from_a_refused_token(tmp_path: Path) -> None:
    # `timeout=5`: each must end within five seconds, or the run raises TimeoutExpired
    unreachable = copbot("serve", env=serve_env(SLACK_API_URL="http://127.0.0.1:9/api/"), cwd=tmp_path, timeout=5)
    assert one_line_and_gone(unreachable) == (
        "copbot: could not reach Slack at http://127.0.0.1:9/api/ (Connection refused); "
        "nothing was refused: check the network, DNS or proxy"
    )
    with SlackStandin() as standin:
        refused = copbot("serve", env=serve_env(SLACK_API_URL=standin.url), cwd=tmp_path, timeout=5)
    assert one_line_and_gone(refused) == (
        "copbot: Slack refused SLACK_BOT_TOKEN (invalid_auth): "
        "the token is not one Slack knows: copy the Bot User OAuth Token (xoxb-…) again"
    )


def test_serve_with_a_bad_or_unreachable_database_says_so_in_one_line(tmp_path: Path) -> None:
    nonsense = copbot("serve", env=serve_env(DATABASE_URL="nonsense"), cwd=tmp_path, timeout=5)
    assert one_line_and_gone(nonsense) == (
        "copbot: invalid setting DATABASE_URL: Could not parse SQLAlchemy URL from given URL string"
    )
    down = copbot(
        "serve", env=serve_env(DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:9/x"), cwd=tmp_path, timeout=5
    )
    line = one_line_and_gone(down)
    assert line.startswith(
        "copbot: cannot use the database at DATABASE_URL (postgresql+psycopg://postgres@127.0.0.1:9/x): "
    )
    assert "Connection refused" in line


def test_setting_and_command_mistakes_get_answers_that_say_what_to_do(tmp_path: Path) -> None:
    assert one_line_and_gone(copbot("serve", env={"COPBOT_SCHEDULER": "maybe"}, cwd=tmp_path, timeout=5)) == (
        "copbot: invalid setting COPBOT_SCHEDULER: must be on or off"
    )
    unknown = copbot("jobs", "run", "nosuch", cwd=tmp_path, timeout=5)
    assert one_line_and_gone(unknown) == (
        "copbot: unknown job 'nosuch'; jobs are: reminders, housekeeping, digest, prompt, checkin, survey"
    )
    jobs = copbot("jobs", cwd=tmp_path, timeout=5)
    assert jobs.returncode == 2 and jobs.stdout.startswith("usage: copbot jobs") and "run" in jobs.stdout
    assert one_line_and_gone(copbot("manifest", "--url", "example.com", cwd=tmp_path, timeout=5)) == (
        "copbot: --url must be the full https address Slack reaches copbot at, "
        "such as https://copbot.example.com (got 'example.com')"
    )


def test_run_names_the_missing_credential_and_opens_the_shell(tmp_path: Path) -> None:
    result = copbot("run", env={"SLACK_BOT_TOKEN": "xoxb-1"}, cwd=tmp_path, stdin="quit\n", timeout=20)
    assert result.returncode == 0 and "As you gave" not in result.stderr
    assert result.stdout.splitlines()[0].startswith(
        "SLACK_SIGNING_SECRET is not set (SLACK_BOT_TOKEN is), so here is the local shell"
    )
    assert "Sandbox database: a temporary one, gone when you quit" in result.stdout


def test_shell_keep_keeps_the_sandbox_and_its_time_and_never_takes_copbots_database(tmp_path: Path) -> None:
    first = copbot("shell", "--keep", cwd=tmp_path, stdin="/cop create python Python at work\ntick 2d\nquit\n")
    assert "Sandbox database: copbot-shell.db, kept between runs" in first.stdout
    second = copbot("shell", "--keep", cwd=tmp_path, stdin="/cop list\nquit\n")
    assert "Simulated time: Wed 04 Mar 2026 08:00 UTC" in second.stdout and "*python*" in second.stdout
    refused = copbot("shell", "--keep", env={"DATABASE_URL": "sqlite:///copbot-shell.db"}, cwd=tmp_path, timeout=5)
    assert one_line_and_gone(refused).startswith("copbot: --keep copbot-shell.db is copbot's own database")
