"""A board member never sees case-level text, nor anything an audit found that its report has
not published: a crawl of every page they can reach, from the home page by every link (pages,
CSV, the published report's files), and of every answer of the API to their token, finds none of
a set of words planted in every case-level field and in every audit's own words (its themes,
recommendations and actions) that no published edition printed: those of an audit in
reporting, of one in monitoring whose report is not published yet, and of a published audit's
themes and actions changed after it was published.

The same crawl as a coordinator finds them, so the crawl can see what it looks for.
"""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from maca.actions.models import Action, ActionUpdate, Recommendation
from maca.api.services import token_create
from maca.audits.models import Audit, AuditStatus, Case, Request
from maca.meetings.models import AuditTheme, Ratification
from maca.partnerships.models import Agency, LibraryTheme
from maca.reports.document import published_edition
from maca.reports.models import Rendition, RenditionKind, RenditionStatus
from maca.reports.printing import report_pdf
from maca.returns.models import Return
from tests import factories as f
from tests.pages import text_of as page_text
from tests.support.crawl import crawl, text_of

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
# An audit's own words that no published edition printed: as written at the meeting, with a
# child's name, NHS number and date of birth in a theme's description.
UNPUBLISHED = {
    "theme_title": "quillfeather",
    "theme_description": "brightwater",
    "nhs_number": "943 476 5919",
    "date_of_birth": "3 March 2015",
    "recommendation": "marblewing",
    "theme_action": "thistledown",
}
PLANTED |= UNPUBLISHED
# The meeting's points, the agencies' areas for development (decision 68) and a not-scored
# reason all cases share are what a report's first draft quotes (maca/reports/document.py,
# practice.py); a coordinator edits it, and publishing checks it for identifiers. So a published
# edition may carry these three, and no other page may.
REPORT_MAY_QUOTE = {
    PLANTED["case_point"],
    PLANTED["areas_for_development"],
    PLANTED["ratification_reason"],
}
PUBLISHED = re.compile(r"^(/api/v1)?/audits/\d+/report/editions/\d+")


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


def plant_unpublished(audits) -> None:
    """An audit's own words in the audits whose report is not published: Domestic abuse (in
    monitoring) and one in reporting, whose theme is on the library theme the others share."""
    reporting = f.AuditFactory(
        partnership=audits[scene.CIN].partnership,
        title="Still in reporting",
        status=AuditStatus.REPORTING,
        meeting_date=datetime.date(2019, 9, 1),
    )
    case = f.CaseFactory(audit=reporting, area=Case.objects.filter(audit=audits[scene.CIN])[0].area)
    f.RatificationFactory(case=case, grade="good")
    sharing = LibraryTheme.objects.get(partnership=reporting.partnership, title=scene.SHARING)
    f.AuditThemeFactory(audit=reporting, title="Sharing", library_theme=sharing).cases.add(case)
    recommendation = f.RecommendationFactory(audit=reporting)
    recommendation.themes.set(reporting.themes.all())
    f.ActionFactory(recommendation=recommendation, agency=Request.objects.first().agency)
    for audit in (audits[scene.ABUSE], reporting):
        plant_words(audit)


def plant_words(audit) -> None:
    """Every theme, recommendation and action of the audit made to carry the unpublished words."""
    words = UNPUBLISHED
    for theme in AuditTheme.objects.filter(audit=audit):
        theme.title = f"{theme.title} {words['theme_title']}"
        theme.description = (
            f"Jayden {words['theme_description']}, NHS number {words['nhs_number']}, "
            f"born {words['date_of_birth']}."
        )
        theme.save()
    for recommendation in Recommendation.objects.filter(audit=audit):
        recommendation.text = f"Recommend: {words['recommendation']}."
        recommendation.save()
    for action in Action.objects.filter(audit=audit, immediate=False):
        action.description = f"Do: {words['theme_action']}."
        action.save()


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


def api_walk(user, partnership) -> dict[str, set[str]]:
    """Every GET of the API's document, with every id of the partnership in its path, as the
    user's token: the planted words found in each answer that has any."""
    _, secret = token_create(user=user, partnership=partnership, name="Crawl", days=1)
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    ids = {
        "audit_id": list(
            Audit.objects.filter(partnership=partnership).values_list("pk", flat=True)
        ),
        "number": [1, 2],
        "action_id": list(
            Action.objects.filter(partnership=partnership).values_list("pk", flat=True)
        ),
        "request_id": list(
            Request.objects.filter(partnership=partnership).values_list("pk", flat=True)
        ),
        "agency_id": list(
            Agency.objects.filter(partnership=partnership).values_list("pk", flat=True)
        ),
    }
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    found, answered = {}, 0
    words = [w.lower() for w in PLANTED.values()]
    for template, operations in paths.items():
        if "get" not in operations:
            continue
        urls = [template]
        for name, values in ids.items():
            urls = (
                [u.replace(f"{{{name}}}", str(v)) for u in urls for v in values]
                if f"{{{name}}}" in template
                else urls
            )
        assert all("{" not in url for url in urls), template
        for url in urls:
            response = api.get(url, {"page_size": 100})
            assert response.status_code < 500, url
            answered += response.status_code == 200
            if response.status_code == 200:
                text = text_of(response).lower()
                if hits := {word for word in words if word in text}:
                    found[url] = hits
    assert answered > 10, "the API walk read nothing"
    return found


@pytest.fixture
def planted(partnership, areas, agencies, coordinator):
    audits = scene.build(partnership, areas, agencies)
    plant(audits)
    plant_unpublished(audits)
    publish_with_files(audits[scene.CIN])
    # Changed after publication: the board reads them only as published.
    plant_words(audits[scene.CIN])
    return audits


def allowed(url: str) -> set[str]:
    return REPORT_MAY_QUOTE if PUBLISHED.match(url) else set()


def test_a_board_member_reaches_no_case_level_text(planted, board_member, client_for):
    seen, found = crawl(client_for(board_member), PLANTED.values())

    leaks = {url: words - allowed(url) for url, words in found.items()}
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


def test_no_api_answer_to_a_board_members_token_carries_unpublished_text(
    planted, partnership, board_member
):
    found = api_walk(board_member, partnership)

    leaks = {url: words - allowed(url) for url, words in found.items()}
    assert {url: words for url, words in leaks.items() if words} == {}


def test_the_board_reads_a_published_audits_words_as_its_edition_printed_them(
    partnership, areas, agencies, board_member, client_for
):
    audits = scene.build(partnership, areas, agencies)
    f.published_report(audits[scene.CIN])
    board = client_for(board_member)
    sharing = LibraryTheme.objects.get(title=scene.SHARING, partnership=partnership)

    library = page_text(board.get(f"/themes/{sharing.pk}/"))
    dashboard = page_text(board.get("/dashboard/themes/"))
    assert "Information sharing and communication" in library
    assert "as \u201cInformation sharing and communication\u201d" in dashboard
    assert "Invite the GP to every review" in dashboard

    plant_words(audits[scene.CIN])  # changed after publication, by whatever path
    library = page_text(board.get(f"/themes/{sharing.pk}/"))
    dashboard = page_text(board.get("/dashboard/themes/"))
    assert "Children in Need 21 June 2017 Not in a report published here" in library
    assert "Invite the GP to every review" not in dashboard
    assert "Not in its audit's published report" in dashboard
    for word in UNPUBLISHED.values():
        assert word not in library and word not in dashboard


def test_the_same_api_walk_finds_the_words_as_a_coordinator(planted, partnership, coordinator):
    found = api_walk(coordinator, partnership)
    assert set(UNPUBLISHED.values()) - {"3 March 2015"} <= set().union(*found.values())


def test_the_board_sees_small_counts_suppressed(planted, board_member, client_for):
    page = client_for(board_member).get("/dashboard/grades/").content.decode()
    assert "fewer than 3" in page


def test_the_same_crawl_finds_the_words_as_a_coordinator(planted, coordinator, client_for):
    _, found = crawl(client_for(coordinator), PLANTED.values(), stop_when_found=True)
    assert found, "the crawl cannot see planted words even where they are shown"
