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


def test_production_sends_through_notify_when_its_key_is_set():
    env = PRODUCTION | {"EMAIL_HOST": "", "NOTIFY_API_KEY": "key", "NOTIFY_TEMPLATE_ID": "t"}
    script = "from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])"
    result = run("shell", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "maca.notices.notify.NotifyEmailBackend"


def test_notify_needs_its_template():
    result = run("check", **(PRODUCTION | {"NOTIFY_API_KEY": "key", "NOTIFY_TEMPLATE_ID": ""}))
    assert result.returncode != 0
    assert "NOTIFY_TEMPLATE_ID must be set with NOTIFY_API_KEY" in result.stderr


def test_production_needs_a_mail_service():
    result = run("check", **(PRODUCTION | {"EMAIL_HOST": "", "NOTIFY_API_KEY": ""}))
    assert result.returncode != 0
    assert "EMAIL_HOST (SMTP) or NOTIFY_API_KEY (GOV.UK Notify) must be set" in result.stderr


def test_check_deliveries_is_reachable_by_its_hyphenated_name():
    result = run("check-deliveries", "--help")
    assert result.returncode == 0 and "GOV.UK Notify" in result.stdout
