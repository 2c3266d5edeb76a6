"""An agency lead downloads their agency's feedback pack, in real Chromium, with axe-core.

The demo's audit in monitoring has its report published and Children's Social Care's pack made
(as publishing makes every involved agency's); its lead opens the audit, follows "Agency
feedback", downloads the PDF and the Word file and reads them; Police's pack is not theirs.
The coordinator's page lists every agency's.
"""

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle
from maca.partnerships.models import Agency, Role
from maca.partnerships.services import membership_grant
from maca.reports.rendering import FEEDBACK_KINDS, rendition_request
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def monitored(transactional_db):
    return bundle_import(data=demo_bundle("05-domestic-abuse.json"))


def test_an_agency_lead_downloads_their_agencys_feedback_pack(
    page, another_page, live_server, monitored, tmp_path
):
    audit, base = monitored, live_server.url
    csc = Agency.objects.get(partnership=audit.partnership, name="Children's Social Care")
    police = Agency.objects.get(partnership=audit.partnership, name="Police")
    coordinator = f.UserFactory(email="casey@example.org")
    membership_grant(user=coordinator, partnership=audit.partnership, role=Role.COORDINATOR)
    lead = f.UserFactory(email="lee@example.org")
    membership_grant(user=lead, partnership=audit.partnership, role=Role.AGENCY_LEAD, agency=csc)
    edition = f.published_report(audit)
    for agency in (csc, police):  # rendered at once: the tests run tasks inline
        for kind in FEEDBACK_KINDS:
            rendition_request(
                audit=audit, kind=kind, by=coordinator, edition=edition, agency=agency
            )
    reference = audit.cases.filter(requests__agency=csc).order_by("reference").first().reference

    sign_in(page, live_server, lead.email, PASSWORD)
    page.goto(f"{base}/audits/{audit.pk}/")
    page.get_by_role("link", name="Agency feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agency feedback")
    expect(page.get_by_role("heading", name="Children's Social Care")).to_be_visible()
    expect(page.get_by_role("heading", name="Police")).to_have_count(0)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Children's Social Care \(PDF")).click()
    pdf = tmp_path / "feedback.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert pages and all("OFFICIAL-SENSITIVE" in p for p in pages)
    assert "feedback for Children's Social Care" in re.sub(r"\s+", " ", text)
    assert any(f"Case {reference}" in p and "Practitioner feedback note" in p for p in pages)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Children's Social Care \(Word")).click()
    word = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert any(p.text == "Your cases' grades" for p in word.paragraphs)
    assert any(p.text == f"Case {reference}" for p in word.paragraphs)

    # Police's pack is not Children's Social Care's to read: as if it did not exist.
    refused = page.goto(f"{base}/audits/{audit.pk}/feedback/{police.pk}/pdf")
    assert refused is not None and refused.status == 404

    # The coordinator's page lists every agency's pack, and offers to make them again.
    coordinating = another_page()
    sign_in(coordinating, live_server, coordinator.email, PASSWORD)
    coordinating.goto(f"{base}/audits/{audit.pk}/feedback/")
    expect(coordinating.get_by_role("heading", name="Police")).to_be_visible()
    expect(coordinating.get_by_role("button", name="Make the packs again")).to_be_visible()
    assert_accessible(coordinating)
