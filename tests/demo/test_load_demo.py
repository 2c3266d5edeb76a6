"""`maca load-demo`: what `make demo` loads, and that every printed login works."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from maca.actions.dissemination import reached_between
from maca.actions.models import Dissemination
from maca.audits.models import Audit
from maca.demo.management.commands.load_demo import CAST, PASSWORD
from maca.partnerships.models import Membership, Role
from maca.reports.models import BriefingEdition, BriefingPart, Rendition, ReportEdition

pytestmark = pytest.mark.django_db


def load(*args, packs: bool = False) -> str:
    """The demo loaded; each agency's feedback pack made only when asked (`make demo` makes
    them: seconds each, and only the first test here reads them)."""
    out = StringIO()
    call_command("load_demo", *args, *([] if packs else ["--without-feedback-packs"]), stdout=out)
    return out.getvalue()


def test_loads_the_demo_audits_and_prints_every_login():
    output = load(packs=True)

    assert output.count("Imported audit") == 6
    assert Audit.objects.count() == 6
    # The re-audit is loaded after the audit it looks at again.
    reaudit = Audit.objects.get(reaudit_of__isnull=False)
    assert reaudit.reaudit_of.title == "Children living with domestic abuse"
    for email, *_ in CAST:
        assert email in output
    assert "admin@example.org" in output
    assert PASSWORD in output
    # Each agency asked for a return has its feedback pack, PDF and Word, asked for on each
    # edition (made once the load commits: tests/reports/test_feedback.py makes them).
    for edition in ReportEdition.objects.all():
        asked = set(edition.audit.requests.values_list("agency_id", flat=True))
        packs = Rendition.objects.filter(edition=edition)
        for kind in ("feedback_pdf", "feedback_docx"):
            made = set(packs.filter(kind=kind).values_list("agency_id", flat=True))
            assert made == asked, (edition.audit.title, kind)


def test_the_domestic_abuse_audit_has_a_published_briefing_and_where_it_went():
    output = load()

    [briefing] = BriefingEdition.objects.all()
    assert briefing.audit.title == "Children living with domestic abuse"
    assert briefing.report_edition.audit == briefing.audit
    assert "Published edition 1 of its learning briefing" in output
    assert [part["title"] for part in briefing.document["parts"]] == [
        str(part.label) for part in BriefingPart
    ]
    log = Dissemination.objects.filter(audit=briefing.audit)
    assert log.filter(briefing=briefing).count() == 3
    assert log.filter(edition=briefing.report_edition).count() == 1
    today = timezone.localdate()
    assert reached_between(briefing.partnership, today, today) == 14 + 11 + 240 + 32


@override_settings(MACA_DEMO=True)  # as `make demo` serves it
def test_every_demo_login_signs_in_and_sees_the_home_page():
    load()
    for email, _, role, _ in [*CAST, ("admin@example.org", None, None, None)]:
        client = Client()
        response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
        if role != Role.BOARD_MEMBER:
            # The second step, with the code the demo's page shows.
            page = client.get(response["Location"]).content.decode()
            code = re.search(r"now is <strong>(\d{6})</strong>", page).group(1)
            response = client.post(response["Location"], {"code": code})
        home = client.get(response["Location"], follow=True)
        assert home.status_code == 200, email
        assert home.wsgi_request.user.is_authenticated, email
        assert home.wsgi_request.path == "/", email


def test_loading_twice_adds_nothing():
    load()
    memberships = Membership.objects.count()

    output = load()

    assert output.count("Already loaded") == 6
    assert Audit.objects.count() == 6
    assert Membership.objects.count() == memberships


def test_reset_replaces_the_demo_audits_but_keeps_those_published():
    # A published edition is never replaced or deleted, the demo's included (decision 41).
    load()
    published = set(ReportEdition.objects.values_list("audit_id", flat=True))
    editions = set(ReportEdition.objects.values_list("pk", "digest"))
    before = set(Audit.objects.values_list("pk", flat=True))

    output = load("--reset")

    assert len(published) == 3
    assert output.count("Imported audit") == 3
    assert output.count("Kept as it was") == 3 and "published edition" in output
    after = set(Audit.objects.values_list("pk", flat=True))
    assert len(after) == 6 and published <= after
    # The re-audit, replaced, is a re-audit of the audit kept.
    assert Audit.objects.get(reaudit_of__isnull=False).reaudit_of_id in published
    assert (before - published).isdisjoint(after)
    assert set(ReportEdition.objects.values_list("pk", "digest")) == editions
