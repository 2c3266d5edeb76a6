"""Settings come from the environment; production refuses to start unsafe."""

import os
import subprocess
import sys
from pathlib import Path

MACA = Path(sys.executable).with_name("maca")
PRODUCTION = {
    "MACA_ENV": "production",
    "SECRET_KEY": "x7-" + "k" * 60 + "-not-a-real-key-but-long-and-varied-9f3a",
    "ALLOWED_HOSTS": "maca.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "MACA_BASE_URL": "https://maca.example.org",
    "DATABASE_URL": "sqlite:////tmp/maca-settings-test.sqlite3",
}


def run(*args, **env):
    unset = {"DATABASE_URL", "MACA_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [str(MACA), *args], env=base | env, capture_output=True, text=True, timeout=120, check=False
    )


def test_production_passes_the_deployment_checks():
    result = run("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = PRODUCTION | {"SECRET_KEY": ""}
    result = run("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when MACA_ENV=production" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run("check", **(PRODUCTION | {"ALLOWED_HOSTS": ""}))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_the_maca_command_reaches_django_and_our_own_commands():
    result = run("help")
    assert result.returncode == 0
    for command in (
        "migrate",
        "createsuperuser",
        "import_bundle",
        "export_bundle",
        "report",
        "db_worker",
    ):
        assert command in result.stdout


def test_hyphenated_commands_work():
    result = run("list-audits", "--help")
    assert result.returncode == 0 and "List every audit" in result.stdout


def test_send_reminders_is_reachable_by_its_hyphenated_name():
    result = run("send-reminders", "--help")
    assert result.returncode == 0 and "--date" in result.stdout
