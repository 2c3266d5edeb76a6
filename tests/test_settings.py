"""Settings come from the environment; production refuses to start unsafe."""

from tests.support.commands import PRODUCTION, run


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
