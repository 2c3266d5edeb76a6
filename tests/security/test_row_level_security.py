"""The database's own walls on PostgreSQL (issue 9): the application's role is held to one
partnership's rows by row-level security, and may only read and add to the history.

Each test makes a role of its own for the application (named after the test database, so
parallel runs never share one), grants it what `maca grant-app-role` grants, and `SET ROLE`s
the test's connection to it, which the test client shares: requests run as the application's
role too. Everything, the role included, is rolled back with the test's transaction.
"""

import datetime
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import ProgrammingError, connection, transaction
from django.test import Client
from django.urls import reverse

from maca import access_rls
from maca.audits.models import Audit, Case
from maca.backups.roles import unprotected_tables
from maca.history.access_log import record_access
from maca.history.models import AccessHow, AccessKind, AccessRecord, ChangeRecord
from maca.notices.models import Notice, NoticeKind
from maca.notices.services import notice_deliver_task, notice_send
from maca.notices.tasks import reminders_send_task
from maca.partnerships.models import Agency, Partnership
from maca.reports.models import Rendition, RenditionKind, RenditionStatus, ReportEdition
from maca.reports.rendering import render_task, rendition_render, rendition_request
from maca.returns.models import Return
from tests import factories as f
from tests import scale_scenes
from tests.pages import text_of
from tests.signing_in import sign_in
from tests.support.database import as_app
from tests.support.database import execute as _execute

POSTGRESQL = connection.vendor == "postgresql"
pytestmark = pytest.mark.skipif(
    not POSTGRESQL, reason="row-level security and database roles are PostgreSQL's"
)

# The tables read to learn a request's partnership, scoped by user in maca.access instead.
# Sign-in providers too: the sign-in page reads them, before anyone is signed in (decision 75).
LEFT_OUT = {"partnerships_membership", "api_apitoken", "accounts_signinprovider"}
HISTORY = ["history_changerecord", "history_accessrecord"]


def _partnership_models():
    return [
        model
        for model in apps.get_models()
        if "partnership" in {field.name for field in model._meta.concrete_fields}
        and model._meta.db_table not in LEFT_OUT
    ]


def _refused(sql: str, params=None, match="permission denied") -> None:
    with pytest.raises(ProgrammingError, match=match), transaction.atomic():
        _execute(sql, params)


# The policies ------------------------------------------------------------------------------


def test_every_table_of_a_partnerships_rows_has_the_policy(db):
    tables = {model._meta.db_table for model in _partnership_models()}
    secured = {
        name
        for (name,) in _execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid "
            "WHERE c.relrowsecurity AND NOT c.relforcerowsecurity "
            "AND p.polname = 'maca_partnership'"
        )
    }
    assert tables - secured == set()
    assert unprotected_tables() == []


def test_an_unscoped_query_sees_only_the_partnerships_rows(app_role, audit, other_audit):
    ours = audit.partnership
    assert Case.objects.exclude(partnership=ours).exists()  # the owner sees both

    with as_app(app_role, ours.pk):
        assert sorted(Case.objects.values_list("reference", flat=True)) == ["T-E-01", "T-N-01"]
        assert Return.objects.count() == 1
        assert list(Audit.objects.all()) == [audit]
        for model in _partnership_models():
            assert not model.objects.exclude(partnership=ours).exists(), model.__name__

    with as_app(app_role, other_audit.partnership_id):
        assert list(Case.objects.values_list("reference", flat=True)) == ["X-E-01"]


def test_no_partnership_sees_nothing_and_all_sees_everything(app_role, audit, other_audit):
    with as_app(app_role, access_rls.NO_PARTNERSHIP):
        assert Case.objects.count() == Return.objects.count() == Agency.objects.count() == 0
        assert Partnership.objects.count() == 2  # the list of partnerships is no one's data
    with as_app(app_role, ""):
        assert Case.objects.count() == 0
    with as_app(app_role, access_rls.ALL_PARTNERSHIPS):
        assert Case.objects.count() == 3


def test_a_row_of_another_partnership_cannot_be_written(app_role, audit, other_audit):
    theirs = other_audit.partnership
    their_case = other_audit.cases.get()
    with as_app(app_role, audit.partnership_id):
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            Agency.objects.create(partnership=theirs, name="Planted agency")
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            Case.objects.filter(audit=audit).update(partnership=theirs)
        assert Case.objects.filter(pk=their_case.pk).update(reference="changed") == 0
        assert Case.objects.filter(pk=their_case.pk).delete()[0] == 0
    their_case.refresh_from_db()
    assert their_case.reference == "X-E-01"
    assert Case.objects.filter(audit=audit).exclude(partnership=audit.partnership).count() == 0


# The history: read and add only ---------------------------------------------------------


def test_the_history_can_be_added_to_but_not_changed_even_without_its_trigger(app_role, audit):
    # The owner takes the triggers away: privileges alone must stop the application.
    _execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred check
    for table in HISTORY:
        _execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    _execute("SET CONSTRAINTS ALL DEFERRED")
    with as_app(app_role, audit.partnership_id):
        record = record_access(None, AccessKind.BUNDLE, how=AccessHow.COMMAND, audit=audit)
        for table in HISTORY:
            _refused(f"UPDATE {table} SET partnership_id = partnership_id WHERE id = %s", [1])
            _refused(f"DELETE FROM {table} WHERE id = %s", [record.pk])
            _refused(f"TRUNCATE {table}")
            _refused(f"ALTER TABLE {table} ENABLE TRIGGER USER", match="must be owner")
            _refused(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY", match="must be owner")
    assert AccessRecord.objects.filter(pk=record.pk, kind=AccessKind.BUNDLE).exists()


def test_the_role_has_exactly_its_rights(app_role):
    def rights(table: str) -> set[str]:
        return {
            right
            for right in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES")
            if _execute("SELECT has_table_privilege(%s, %s, %s)", [app_role, table, right])[0][0]
        }

    for model in (ChangeRecord, AccessRecord, ReportEdition):
        assert rights(model._meta.db_table) == {"SELECT", "INSERT"}
    assert rights("history_chainhead") == {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert rights("returns_return") == {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert rights("django_migrations") == {"SELECT"}
    (owns, superuser, bypass), *_ = _execute(
        "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tableowner = %s), rolsuper, rolbypassrls "
        "FROM pg_roles WHERE rolname = %s",
        [app_role, app_role],
    )
    assert (owns, superuser, bypass) == (False, False, False)


def test_granting_again_changes_nothing(app_role):
    def grants():
        return _execute(
            "SELECT table_name, privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = %s ORDER BY 1, 2",
            [app_role],
        )

    before = grants()
    _execute(f"GRANT UPDATE ON history_changerecord TO {app_role}")  # a hand-made mistake
    call_command("grant_app_role", app_role, stdout=StringIO())
    assert grants() == before


def test_a_superuser_or_a_missing_role_is_refused(db):
    superuser = _execute("SELECT current_user")[0][0]
    for role, why in ((superuser, "superuser"), ("maca_no_such_role", "there is no role")):
        with pytest.raises(CommandError, match=why):
            call_command("grant_app_role", role, stdout=StringIO())


# The application under the role ---------------------------------------------------------


@pytest.fixture
def scene(db):
    """The query-count tests' partnership (three audits in three states, the cast, their
    tokens), beside another partnership whose rows must stay out of sight."""
    scale_scenes.scene("Elsewhere")
    return scale_scenes.scene("Small")


# Who has looked at a case: the owner's request is one more look by the time the app's comes.
LOOKS = re.compile(r"Who has looked at this case .*? maca — ")


def _answer(client, url) -> tuple[int, str]:
    client.cookies.pop("messages", None)  # a message the page before left for the next one
    response = client.get(url)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        return 200, LOOKS.sub("", text_of(response))
    return response.status_code, response.get("Location", "")


def test_every_page_and_api_read_answers_the_same_under_the_role(app_role, scene, monkeypatch):
    # A page's "seen" time and a token's last use are written once a minute: not in between.
    monkeypatch.setattr("maca.sessions.SEEN_REFRESH", datetime.timedelta(days=1))
    clients = {role: Client() for role in scale_scenes.CAST}
    for role, client in clients.items():
        sign_in(client, scene.people[role])
    api = {
        role: Client(headers={"Authorization": f"Bearer {secret}"})
        for role, secret in scene.tokens.items()
    }
    reads = [(name, role) for name in scale_scenes.API_READS for role in scene.tokens]
    requests = [
        (clients[role], url)
        for (_, role, _), url in scale_scenes.urls(scene, scale_scenes.PAGES).items()
    ]
    requests += [(api[role], url) for (_, role, _), url in scale_scenes.urls(scene, reads).items()]

    differences = []
    for client, url in requests:
        as_owner = _answer(client, url)
        with as_app(app_role):
            as_app_role = _answer(client, url)
        if as_app_role != as_owner:
            differences.append(f"{url}: {as_owner[0]} as the owner, {as_app_role[0]} as the app")
    assert differences == []
    assert len(requests) > 200


def test_a_request_leaves_the_connection_in_no_partnership(app_role, coordinator, client_for):
    client = client_for(coordinator)
    with as_app(app_role, access_rls.ALL_PARTNERSHIPS):
        assert client.get(reverse("home")).status_code == 200
        assert _execute("SELECT current_setting('maca.partnership')") == [("none",)]


def test_the_admin_keeps_every_partnership(app_role, audit, other_audit, admin_user, client_for):
    client = client_for(admin_user)
    url = reverse("admin:partnerships_partnership_change", args=[other_audit.partnership_id])
    with as_app(app_role):
        page = text_of(client.get(url))
    their_agencies = other_audit.partnership.agencies.values_list("name", flat=True)
    assert all(name in page for name in their_agencies)


def test_a_coordinator_of_another_partnership_cannot_reach_ours(
    app_role, audit, other_partnership_coordinator, client_for
):
    client = client_for(other_partnership_coordinator)
    with as_app(app_role):
        assert client.get(reverse("audits:detail", args=[audit.pk])).status_code == 404


# Background work under the role ---------------------------------------------------------


def test_a_task_works_in_its_subjects_partnership(app_role, audit, coordinator, other_audit):
    rendition = rendition_request(audit=audit, kind=RenditionKind.MEETING_PACK, by=coordinator)
    # A worker's connection starts in no partnership: without the task's, nothing is found.
    with as_app(app_role):
        assert rendition_render(rendition.pk) is None
        result = render_task.enqueue(rendition.pk, audit.partnership_id)
        assert _execute("SELECT current_setting('maca.partnership')") == [("none",)]
    assert result.return_value == RenditionStatus.READY
    rendition = Rendition.objects.get(pk=rendition.pk)
    assert rendition.status == RenditionStatus.READY
    assert rendition.content.startswith(b"%PDF")


def test_an_e_mail_is_sent_under_the_role(app_role, audit, coordinator, police_auditor):
    notice = notice_send(
        kind=NoticeKind.CHASE, audit=audit, agency=police_auditor.memberships.get().agency
    )
    with as_app(app_role):
        result = notice_deliver_task.enqueue(notice.pk, audit.partnership_id)
    assert result.return_value == 1
    assert [message.to for message in mail.outbox] == [[police_auditor.email]]
    assert Notice.objects.get(pk=notice.pk).sent_at is not None


def _reminders_task() -> int:
    return reminders_send_task.enqueue().return_value


def _reminders_command() -> int:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return int(out.getvalue().splitlines()[-1].split()[0])


@pytest.mark.parametrize("send", [_reminders_task, _reminders_command], ids=["task", "cron"])
def test_the_reminders_reach_every_partnership_under_the_role(send, app_role, audit, other_audit):
    f.RequestFactory(case=other_audit.cases.get(), status="outstanding")
    Audit.objects.filter(pk__in=[audit.pk, other_audit.pk]).update(
        status="collecting", returns_due=datetime.date.today()
    )
    with as_app(app_role):
        sent = send()
    reminded = set(Notice.objects.values_list("partnership_id", flat=True))
    assert sent == 2
    assert reminded == {audit.partnership_id, other_audit.partnership_id}
