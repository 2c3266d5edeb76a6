"""No child data in the application's logs.

The main flows run with a child's name and an NHS number planted in the case-level text
(a return, a ratification's reason, the report's words, an agency's record number), with every
log record captured as configured (the root logger at DEBUG; django.db.backends and
WeasyPrint's progress at WARNING, as settings.LOGGING has them); none may hold a planted word.
"""

import io
import json
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from maca.api.services import token_create
from maca.audits.models import Audit, AuditStatus
from maca.errors import DomainError
from maca.meetings import services as meetings
from maca.partnerships.models import Role
from maca.reports import services as reports
from maca.reports.document import report_document
from maca.reports.selectors import report_state
from tests import factories as f
from tests.support.api import Api

NAME = "Zephyrine Quillfeather"
NHS_NUMBER = "943 476 5919"
RECORD_NUMBER = "CSC-943-4765919"
PLANTED = ["Zephyrine", "Quillfeather", NHS_NUMBER, NHS_NUMBER.replace(" ", ""), RECORD_NUMBER]
TEXT = f"{NAME} (NHS {NHS_NUMBER}) was seen at home"


class Captured(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record):
        if record.name.startswith("factory"):
            return  # the tests' own factories, not the application
        self.lines.append(self.format(record))  # with any traceback, as a log file has it


@pytest.fixture
def captured():
    handler, root = Captured(), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    quiet = {name: logging.getLogger(name).level for name in ("django.db.backends",)}
    for name in quiet:
        logging.getLogger(name).setLevel(logging.WARNING)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)
    for name, was in quiet.items():
        logging.getLogger(name).setLevel(was)


def _digest(audit) -> str:
    return report_state(audit, report_document(audit)).digest


def test_the_main_flows_log_no_child_data(
    audit,
    partnership,
    coordinator,
    agency_lead,
    csc_request,
    client_for,
    captured,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    approver = f.MembershipFactory(
        user=f.UserFactory(email="approver@example.org"),
        partnership=partnership,
        role=Role.COORDINATOR,
    ).user
    coordinator_client = client_for(coordinator)

    # Import a bundle holding the planted words.
    bundle = tmp_path / "planted.json"
    call_command("export_bundle", str(audit.pk), "--output", str(bundle))
    text = bundle.read_text().replace("Police shared the missing episode at once.", TEXT)
    data = json.loads(text)
    data["audit"]["title"] = "A planted audit"
    bundle.write_text(json.dumps(data))
    call_command("import_bundle", str(bundle), stdout=io.StringIO())
    assert Audit.objects.filter(title="A planted audit").exists()

    # Open and save a return (the page, then the API), and a stale save that fails.
    lead = client_for(agency_lead)
    return_url = reverse(
        "audits:return", args=[audit.pk, csc_request.case_id, csc_request.agency_id]
    )
    assert lead.get(return_url).status_code == 200
    api = Api(token_create(user=agency_lead, partnership=partnership, name="Logs", days=30)[1])
    body = {
        "answers": {"q1": TEXT},
        "good_practice": TEXT,
        "agency_record_number": RECORD_NUMBER,
        "version": None,
    }
    assert api.put(f"/requests/{csc_request.pk}/return", body).status_code == 200
    assert api.put(f"/requests/{csc_request.pk}/return", body).status_code == 409  # stale
    assert lead.post(return_url, {"answer_q1": TEXT, "version": "0"}).status_code in {400, 409}
    assert lead.get(return_url).status_code == 200

    # Ratify a case at the meeting, with the planted words in the reason.
    with django_capture_on_commit_callbacks(execute=True):
        meetings.moderation_start(audit=audit, by=coordinator)
    case = audit.cases.get(reference="T-E-01")
    meetings.case_ratify(case=case, by=coordinator, grade="outstanding", reason=TEXT)
    assert (
        coordinator_client.get(reverse("audits:case_summary", args=[audit.pk, case.pk])).status_code
        == 200
    )

    # The report: words with the planted text are warned of as they are typed (the autosave)
    # and refused at approval (through the page), a detected name is marked as not one (and
    # refused, being on no list), then clean words are published and its files made.
    audit.status = AuditStatus.REPORTING
    audit.save()
    autosave = reverse("audits:report_autosave", args=[audit.pk, "introduction"])
    warned = coordinator_client.post(autosave, {"text": TEXT, "version": 0}, HTTP_HX_REQUEST="1")
    assert b"could identify a child" in warned.content
    reports.report_send(audit=audit, by=coordinator)
    refused = client_for(approver).post(
        reverse("audits:report_approve", args=[audit.pk]), {"digest": _digest(audit)}
    )
    assert refused.status_code == 400
    with pytest.raises(DomainError):
        reports.report_approve(audit=audit, digest=_digest(audit), by=approver)
    marked = coordinator_client.post(
        reverse("audits:report_not_a_name", args=[audit.pk]),
        {"words": NAME, "passage": TEXT, "back": "introduction"},
    )
    assert marked.status_code == 302
    with pytest.raises(DomainError):
        reports.report_approve(audit=audit, digest=_digest(audit), by=approver)  # the number
    reports.section_save(audit=audit, key="introduction", text="Clean.", version=1, by=coordinator)
    reports.report_send(audit=audit, by=coordinator)
    reports.report_approve(audit=audit, digest=_digest(audit), by=approver)
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_publish(
            audit=audit,
            digest=_digest(audit),
            by=coordinator,
            no_recommendations_reason="Nothing to recommend.",
        )

    # Export a bundle; a request for something that is not there.
    call_command("export_bundle", str(audit.pk), stdout=io.StringIO())
    assert coordinator_client.get(f"/audits/{audit.pk}/cases/999999/summary/").status_code == 404

    logged = "\n".join(captured.lines)
    assert captured.lines, "nothing was logged: the capture is not working"
    leaked = [word for word in PLANTED if word in logged]
    assert leaked == [], f"child data in the logs: {leaked}"


def test_the_capture_would_see_a_leak(captured):
    logging.getLogger("maca.anything").info("about %s", NAME)
    assert any(NAME in line for line in captured.lines)
