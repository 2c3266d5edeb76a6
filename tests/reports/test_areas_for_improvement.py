"""Good practice and areas for improvement by theme; themes as strengths or concerns (decision
68): the words they start with, the bundle and the summary that carry a theme's kind, the
identifier check over the new section, and the four formats agreeing on a demo audit."""

import copy
import io
import re

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from maca.bundles.services import bundle_export, bundle_import
from maca.demo.story import demo_bundle
from maca.meetings.models import CasePoint, PointKind, ThemeKind
from maca.partnerships.models import Role
from maca.reports import practice
from maca.reports.checking import identifiers_in
from maca.reports.document import published_edition, report_document
from maca.reports.models import NameToCatch, ReportSection, SectionKey
from maca.reports.printing import report_pdf
from maca.reports.summary import report_summary
from maca.reports.word import report_docx
from tests import factories as f
from tests.bundles.samples import small_bundle
from tests.pages import text_of

pytestmark = pytest.mark.django_db

AFI = SectionKey.AREAS_FOR_IMPROVEMENT


def bundle_with_points() -> dict:
    """Three themes, the last a strength; T-N-01 is in all three, T-C-01 in none."""
    bundle = small_bundle()
    bundle["themes"] = [
        {"title": "Information sharing", "description": "GPs were not told of the plan."},
        {"title": "Engagement", "description": "Young people stayed away."},
        {"title": "College", "description": "The college kept them learning.", "kind": "strength"},
    ]
    first, second = bundle["cases"]
    first["themes"] = ["Information sharing"]
    first["concerns"] = ["No GP involvement in the plan.", "  no GP   involvement in the plan "]
    second["themes"] = ["Information sharing", "Engagement", "College"]
    second["good_practice"] = ["The worker kept trying to engage him at college."]
    second["concerns"] = ["Nobody asked why he stayed away from the young people's group."]
    third = copy.deepcopy(second) | {"reference": "T-C-01", "area": "Central", "themes": []}
    third["concerns"] = ["The transfer summary was late."]
    third["good_practice"] = []
    bundle["areas"] = ["East", "North", "Central"]
    bundle["audit"]["sample_plan"] = {"East": 1, "North": 1, "Central": 1}
    bundle["cases"].append(third)
    return bundle


def section(document: dict, key: str) -> dict:
    [found] = [s for s in document["sections"] if s["key"] == key]
    return found


# The words -------------------------------------------------------------------------------------


def test_concerns_are_grouped_by_the_theme_they_bear_on_each_once():
    audit = bundle_import(data=bundle_with_points())
    facts = practice.practice_facts(audit)

    assert [(g.title, g.points) for g in facts.concerns] == [
        # Said twice on T-E-01 (other spacing and capitals): once.
        ("Information sharing", ["No GP involvement in the plan."]),
        # T-N-01 is in three themes: its concern goes once, to the concern it shares words
        # with (stayed away), although it comes second; never to the strength.
        ("Engagement", ["Nobody asked why he stayed away from the young people's group."]),
        # T-C-01 is in no theme: the last group.
        (practice.NO_THEME, ["The transfer summary was late."]),
    ]


def test_good_practice_goes_to_a_strength_of_its_case_first():
    audit = bundle_import(data=bundle_with_points())
    facts = practice.practice_facts(audit)

    # T-E-01's good practice: its only theme; T-N-01's: the strength among its themes.
    assert [(g.title, g.kind, g.points) for g in facts.good_practice] == [
        (
            "Information sharing",
            ThemeKind.CONCERN,
            ["Police shared the missing episode the same day."],
        ),
        ("College", ThemeKind.STRENGTH, ["The worker kept trying to engage him at college."]),
    ]


def test_the_areas_for_improvement_words_name_each_theme_then_what_the_agencies_said():
    bundle = bundle_with_points()
    bundle["cases"][0]["returns"][1]["areas_for_development"] = "  Check  the GP knows. "
    audit = bundle_import(data=bundle)
    document = report_document(audit)

    words = section(document, AFI)["words"]
    assert words.splitlines()[:3] == [
        "- Information sharing: no GP involvement in the plan.",
        "- Engagement: nobody asked why he stayed away from the young people's group.",
        "- The transfer summary was late.",
    ]
    # The agencies' own words, whitespace made single, each agency by name.
    assert "The agencies' own returns named areas for development too." in words
    assert "Police: Check the GP knows." in words
    assert "Children's Social Care: Record the voice." in words
    # The generated words never hold a figure: the figures come from the summary.
    assert not re.search(r"\d", words)


def test_areas_for_development_the_meeting_already_raised_or_not_submitted_are_left_out():
    bundle = bundle_with_points()
    police = bundle["cases"][0]["returns"][1]
    # The meeting's concern in other words: left out as said already.
    police["areas_for_development"] = "There was no involvement of the GP in this plan"
    outstanding = bundle["cases"][1]["returns"][0]
    outstanding["areas_for_development"] = ""  # an outstanding return says nothing
    audit = bundle_import(data=bundle)

    agencies = practice.practice_facts(audit).areas_for_development
    # Police's restates the meeting's concern; the Health Provider said the same on two cases.
    assert [(g.title, g.points) for g in agencies] == [
        ("Children's Social Care", ["Record the voice."]),
        ("Health Provider", ["Record the voice."]),
    ]


def test_the_section_is_after_good_practice_and_keeps_a_coordinators_edit(coordinator):
    audit = bundle_import(data=bundle_with_points())
    ReportSection.objects.create(
        partnership=audit.partnership, audit=audit, key=AFI, custom=True, text="Our own words."
    )
    document = report_document(audit)

    keys = [s["key"] for s in document["sections"]]
    assert keys[keys.index(SectionKey.GOOD_PRACTICE) + 1] == AFI
    edited = section(document, AFI)
    assert edited["title"] == "Areas for improvement" and edited["edited"]
    assert [b["text"] for b in edited["blocks"] if b["source"] == "words"] == ["Our own words."]
    # The figures stay: how many themes are strengths and how many areas for improvement.
    assert [b["text"] for b in edited["blocks"] if b["source"] == "data"] == [
        "Of the 3 themes, 2 are areas for improvement and 1 is a strength."
    ]


def test_a_group_prints_a_few_points_and_the_section_a_few_groups():
    groups = [
        practice.Group(f"Theme {n}", ThemeKind.CONCERN, [f"Point {n}.{m}" for m in range(3)])
        for n in range(6)
    ]
    words = practice.areas_for_improvement_words(practice.PracticeFacts([], groups, []))
    bullets = words.splitlines()
    assert len(bullets) == practice.GROUPS_AT_MOST
    said = sum(len(line.split("; ")) for line in bullets)
    assert said == practice.CONCERNS_AT_MOST


# The theme's kind: bundle, summary, report ------------------------------------------------------


def test_a_themes_kind_goes_round_a_bundle_and_an_older_bundle_means_concern():
    bundle = small_bundle()
    del bundle["themes"][0]["kind"]  # as every bundle before decision 68
    bundle["themes"][1]["kind"] = "strength"

    exported = bundle_export(bundle_import(data=bundle))

    assert [t["kind"] for t in exported["themes"]] == ["concern", "strength"]


def test_the_themes_section_says_which_theme_is_a_strength():
    audit = bundle_import(data=bundle_with_points())
    document = report_document(audit)

    blocks = section(document, SectionKey.THEMES)["blocks"]
    [numbered] = [block for block in blocks if block["kind"] == "numbered"]
    notes = {item["title"]: item["notes"][0] for item in numbered["items"]}
    assert notes == {
        "Information sharing": "2 of the 3 cases. An area for improvement.",
        "Engagement": "1 of the 3 cases. An area for improvement.",
        "College": "1 of the 3 cases. A strength.",
    }
    themes = document["summary"]["themes"]
    assert [t["kind"] for t in themes] == ["concern", "concern", "strength"]
    # The concerns raised on each theme's cases, as recorded: T-E-01's two (the same words
    # twice) and T-N-01's, which counts in each of its themes.
    assert [t["concerns"] for t in themes] == [3, 1, 1]


def test_a_published_summary_without_kinds_reads_as_concerns():
    assert practice.theme_kind_note(None) == "An area for improvement."
    summary = {"themes": [{"title": "Old", "cases": 1, "recurring_in": []}]}
    [figure] = practice.areas_for_improvement_figures(summary)
    assert figure["text"] == "Of the 1 theme, all are areas for improvement and none is a strength."


# The identifier check ----------------------------------------------------------------------------


def test_the_identifier_check_reads_the_areas_for_improvement(coordinator):
    audit = bundle_import(data=bundle_with_points())
    case = audit.cases.get(reference="T-C-01")
    CasePoint.objects.create(
        partnership=audit.partnership,
        case=case,
        kind=PointKind.CONCERN,
        text="Case T-C-01 was closed too soon.",
    )
    NameToCatch.objects.create(partnership=audit.partnership, name="Tallulah")
    ReportSection.objects.create(
        partnership=audit.partnership,
        audit=audit,
        key=SectionKey.GOOD_PRACTICE,
        custom=True,
        text="Tallulah's school did well.",
    )

    generated = identifiers_in(audit, report_document(audit), key=AFI)
    assert [(p.where, p.finding.text) for p in generated] == [("Areas for improvement", "T-C-01")]
    ReportSection.objects.create(
        partnership=audit.partnership,
        audit=audit,
        key=AFI,
        custom=True,
        text="- Tallulah was not seen alone.",
    )
    edited = identifiers_in(audit, report_document(audit), key=AFI)
    assert [p.finding.text for p in edited] == ["Tallulah"]


# Web, PDF, Word and JSON agree on a demo audit -------------------------------------------------


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("\u00ad", "")).strip()


def test_a_demo_reports_areas_for_improvement_read_back_from_pdf_and_word(client_for):
    audit = bundle_import(data=demo_bundle("05-domestic-abuse.json"))
    coordinator = f.MembershipFactory(
        user=f.UserFactory(email="demo.coordinator@example.org"),
        partnership=audit.partnership,
        role=Role.COORDINATOR,
    ).user
    document = report_document(audit)
    summary = document["summary"]
    edition = published_edition(1, audit.created_at.date())
    pages = PdfReader(io.BytesIO(report_pdf(document, edition))).pages
    pdf = flat(" ".join(page.extract_text() for page in pages))
    word = docx.Document(io.BytesIO(report_docx(document, edition)))
    word_text = flat(" ".join(p.text for p in word.paragraphs))
    web = flat(text_of(client_for(coordinator).get(reverse("audits:report", args=[audit.pk]))))

    # A concern of the meeting, as the section prints it, in every format.
    concern = "the safety plan rested on the mother alone"
    assert concern in flat(section(document, AFI)["words"])
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading 1")]
    assert "Areas for improvement" in headings
    for text in (pdf, word_text, web):
        assert "Areas for improvement" in text
        assert concern in text
        # Each theme as a strength or an area for improvement, as the JSON summary says.
        for theme in summary["themes"]:
            kind = practice.theme_kind_note(theme["kind"])
            assert flat(f"{theme['cases']} of the 9 cases. {kind}") in text
    assert [t["kind"] for t in summary["themes"]].count(ThemeKind.STRENGTH) == 1
    strengths = "Of the 5 themes, 4 are areas for improvement and 1 is a strength."
    assert strengths in pdf and strengths in word_text and strengths in web
    assert report_summary(audit)["themes"] == summary["themes"]
