"""A board member never sees case-level text: a crawl of every page they can reach, from the
home page by every link (pages, CSV, the published report's files), finds none of a set of
words planted in every case-level field.

The same crawl as a coordinator finds them, so the crawl can see what it looks for.
"""

import re
import subprocess
import tempfile
from collections import deque
from io import BytesIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.utils import timezone
from docx import Document

from maca.actions.models import ActionUpdate
from maca.audits.models import Case
from maca.meetings.models import Ratification
from maca.reports.document import published_edition
from maca.reports.models import Rendition, RenditionKind, RenditionStatus
from maca.reports.printing import report_pdf
from maca.returns.models import Return
from tests import factories as f

from . import scene

pytestmark = pytest.mark.django_db

# One word per case-level field; none is a word the pages use for anything else.
PLANTED = {
    "answer": "zebrafinch",
    "good_practice": "marmoset",
    "areas_for_development": "quokkaesque",
    "learning": "tamarindo",
    "immediate_action_description": "wolverina",
    "ratification_reason": "pangolino",
    "case_point": "narwhalish",
    "record_number": "ocelotto",
    "reference": "AXOLOTL",
    "immediate_action": "capybarra",
    "action_update": "kinkajoo",
}
# The meeting's good-practice points and a not-scored reason all cases share are what a report's
# first draft quotes (maca/reports/document.py); a coordinator edits it, and publishing checks it
# for identifiers. So a published edition may carry these two, and no other page may.
REPORT_MAY_QUOTE = {PLANTED["case_point"], PLANTED["ratification_reason"]}
PUBLISHED = re.compile(r"^/audits/\d+/report/editions/\d+/")
SKIP = ("/static/", "/accounts/logout", "/admin/", "/api/v1/docs")
LIMIT = 600


def plant(audits) -> None:
    """Put a planted word in every case-level field of the audits' cases."""
    for value in Return.objects.filter(request__case__audit__in=audits.values()):
        value.answers = {"q1": f"The {PLANTED['answer']} was seen at home."}
        value.good_practice = f"Good: {PLANTED['good_practice']}."
        value.areas_for_development = f"Develop: {PLANTED['areas_for_development']}."
        value.learning = f"Learnt: {PLANTED['learning']}."
        value.immediate_action = True
        value.immediate_action_description = f"Act: {PLANTED['immediate_action_description']}."
        value.save()
        value.request.agency_record_number = f"{PLANTED['record_number']}-{value.pk}"
        value.request.save()
    for ratification in Ratification.objects.filter(case__audit__in=audits.values()):
        ratification.reason = f"Because {PLANTED['ratification_reason']}."
        ratification.save()
    for case in Case.objects.filter(audit__in=audits.values()):
        f.CasePointFactory(case=case, text=f"Seen: {PLANTED['case_point']}.")
    first = Case.objects.filter(audit=audits[scene.CIN]).order_by("pk").first()
    first.reference = f"{PLANTED['reference']}-01"
    first.save()
    immediate = f.ActionFactory(
        recommendation=None,
        audit=audits[scene.CIN],
        case=first,
        immediate=True,
        description=f"Make the child safe: {PLANTED['immediate_action']}.",
    )
    ActionUpdate.objects.create(
        partnership=immediate.partnership,
        action=immediate,
        note=f"Visited: {PLANTED['action_update']}.",
        status=immediate.status,
    )


def publish_with_files(audit) -> None:
    """Publish the audit's report with its real PDF and Word files."""
    from maca.reports.word import report_docx

    edition = f.published_report(audit, with_pdf=False)
    shown = published_edition(edition.number, edition.published_at.date())
    document = edition.document
    for kind, content, suffix in (
        (RenditionKind.REPORT_PDF, report_pdf(document, shown), "pdf"),
        (RenditionKind.REPORT_DOCX, report_docx(document, shown), "docx"),
    ):
        Rendition.objects.create(
            partnership=audit.partnership,
            audit=audit,
            kind=kind,
            edition=edition,
            status=RenditionStatus.READY,
            content=content,
            filename=f"report-{edition.number}.{suffix}",
            finished_at=timezone.now(),
        )


def text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(body)
            pdf.flush()
            return subprocess.run(
                ["/usr/bin/pdftotext", pdf.name, "-"], capture_output=True, check=True, text=True
            ).stdout
    if "wordprocessingml" in content_type:
        document = Document(BytesIO(body))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return body.decode("utf-8", errors="replace")


def crawl(client, *, stop_when_found=False) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Every page reachable from the home page by links: {url: content type}, and the planted
    words found on each page that has any."""
    seen, found = {}, {}
    queue = deque(["/"])
    words = [w.lower() for w in PLANTED.values()]
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = f"{response.status_code} {response.get('Content-Type', '')}"
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
        if response.status_code != 200:
            continue
        text = text_of(response)
        if hits := {word for word in words if word in text.lower()}:
            found[url] = hits
            if stop_when_found:
                break
        if response.get("Content-Type", "").startswith("text/html"):
            for href in re.findall(r'href="([^"]+)"', text):
                link = urljoin(url, href.replace("&amp;", "&")).split("#")[0]
                parts = urlsplit(link)
                if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
                    continue
                link = parts.path + (f"?{parts.query}" if parts.query else "")
                if link not in seen and not link.startswith(SKIP):
                    queue.append(link)
    return seen, found


@pytest.fixture
def planted(partnership, areas, agencies, coordinator):
    audits = scene.build(partnership, areas, agencies)
    plant(audits)
    publish_with_files(audits[scene.CIN])
    return audits


def test_a_board_member_reaches_no_case_level_text(planted, board_member, client_for):
    seen, found = crawl(client_for(board_member))

    leaks = {
        url: words - (REPORT_MAY_QUOTE if PUBLISHED.match(url) else set())
        for url, words in found.items()
    }
    leaks = {url: words for url, words in leaks.items() if words}
    assert leaks == {}, f"planted case words on pages a board member can reach: {leaks}"
    # The crawl reached what a board member reads: not a vacuous pass.
    reached = " ".join(seen)
    for path in ("/dashboard/", "/themes/", "/dashboard/calibration.csv"):
        assert path in seen, f"the crawl did not reach {path}"
    assert re.search(r"/themes/\d+/", reached)
    assert any("application/pdf" in kind for kind in seen.values()), "no published PDF reached"
    assert any("wordprocessingml" in kind for kind in seen.values()), "no published Word reached"
    assert all(not kind.startswith("5") for kind in seen.values())


def test_the_board_sees_small_counts_suppressed(planted, board_member, client_for):
    page = client_for(board_member).get("/dashboard/").content.decode()
    assert "fewer than 3" in page


def test_the_same_crawl_finds_the_words_as_a_coordinator(planted, coordinator, client_for):
    _, found = crawl(client_for(coordinator), stop_when_found=True)
    assert found, "the crawl cannot see planted words even where they are shown"
