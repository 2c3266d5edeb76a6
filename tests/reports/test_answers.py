"""The audit tool's answers, counted: across submitted returns only, overall, by area and by
agency, per option; the coordinators' Answers page and its CSV; the report's key measures as
the board reads them."""

import csv
import io

import pytest
from django.urls import reverse

from maca.audits.answers import answer_options, countable
from maca.audits.models import AuditStatus, Question, RequestStatus
from maca.grades import Grade
from maca.history.models import AccessKind, AccessRecord
from maca.reports.answers import answers_counted, free_text_answers
from maca.reports.document import report_document
from maca.reports.key_measures import key_measure_tables
from maca.reports.summary import public_summary, report_summary
from tests import factories as f

pytestmark = pytest.mark.django_db

HIDDEN = ("fewer than 3", "not shown")


@pytest.fixture
def answered(partnership, areas, agencies):
    """Six submitted returns answering "Was the child seen alone?" (a key measure), a grade
    question and a free-text one; plus a draft, a return sent back and a request never answered,
    none of which counts."""
    audit = f.AuditFactory(partnership=partnership, title="Seen and heard")
    f.QuestionFactory(audit=audit, key="voice", text="What did the child say?", kind="text")
    f.QuestionFactory(
        audit=audit,
        key="alone",
        text="Was the child seen alone?",
        kind="yes_no_partly",
        key_measure=True,
        position=1,
    )
    f.QuestionFactory(audit=audit, key="record", text="The record?", kind="grade", position=2)
    csc, police, health = (
        agencies[name] for name in ("Children's Social Care", "Police", "Health Provider")
    )
    east, north = areas["East"], areas["North"]

    def given(reference, area, agency, answers, status=RequestStatus.SUBMITTED):
        case = audit.cases.filter(reference=reference).first() or f.CaseFactory(
            audit=audit, reference=reference, area=area
        )
        request = f.RequestFactory(case=case, agency=agency, status=status)
        if answers is not None:
            f.ReturnFactory(request=request, answers=answers)

    given("S-N-01", north, police, {"alone": "yes", "record": "good", "voice": "Scared of dad"})
    given("S-N-01", north, csc, {"alone": "yes", "record": "inadequate"})
    given("S-E-01", east, police, {"alone": "no", "voice": "Wants to stay at school"})
    given("S-E-01", east, csc, {"alone": "yes", "record": "good"})
    given("S-E-02", east, csc, {"alone": "partly"})
    given("S-E-02", east, police, {"alone": "yes", "record": "not a grade"})
    # Not counted: a draft, a return sent back for clarification, a request never answered.
    given("S-E-03", east, csc, {"alone": "no"}, status=RequestStatus.DRAFT)
    given("S-E-03", east, police, {"alone": "no"}, status=RequestStatus.RETURNED)
    given("S-E-03", east, health, None, status=RequestStatus.OUTSTANDING)
    return audit


def test_every_kind_says_its_options_in_one_place():
    assert answer_options(Question(kind="yes_no_partly")) == [
        ("yes", "Yes"),
        ("no", "No"),
        ("partly", "Partly"),
    ]
    assert [value for value, _ in answer_options(Question(kind="grade"))] == Grade.scale()
    assert answer_options(Question(kind="text")) == []
    assert not countable(Question(kind="text"))


def test_answers_are_counted_overall_by_area_and_by_agency_from_submitted_returns(answered):
    alone, record = answers_counted(answered)

    assert alone.question.key == "alone"
    assert (alone.overall.answered, alone.overall.counts) == (
        6,
        {"yes": 4, "no": 1, "partly": 1},
    )
    # The partnership's order: East before North, Children's Social Care before Police; Health
    # has no submitted return, so no row.
    assert list(alone.by_area) == ["East", "North"]
    assert list(alone.by_agency) == ["Children's Social Care", "Police"]
    assert alone.by_area["East"].counts == {"yes": 2, "no": 1, "partly": 1}
    assert alone.by_area["North"].counts == {"yes": 2, "no": 0, "partly": 0}
    assert alone.by_agency["Police"].counts == {"yes": 2, "no": 1, "partly": 0}
    assert alone.by_agency["Children's Social Care"].answered == 3
    assert alone.said() == "Yes in 4 of 6 returns, No in 1, Partly in 1."

    # A grade question: the four grades, best first; an answer that is no grade is not counted.
    assert list(record.overall.counts) == [g.value for g in Grade.scale()]
    assert record.overall.answered == 3
    assert record.overall.counts["good"] == 2
    assert record.by_agency["Police"].answered == 1


def test_free_text_answers_are_listed_not_counted(answered):
    [(question, texts)] = free_text_answers(answered)
    assert question.key == "voice"
    assert [(t.case_reference, t.agency, t.text) for t in texts] == [
        ("S-E-01", "Police", "Wants to stay at school"),
        ("S-N-01", "Police", "Scared of dad"),
    ]
    assert "voice" not in [each.question.key for each in answers_counted(answered)]


def test_answers_in_words_are_shown_as_every_page_shows_them(partnership, areas, agencies):
    # A date written out, and "not applicable" in words, not as they are stored.
    audit = f.AuditFactory(partnership=partnership, title="Dates")
    f.QuestionFactory(audit=audit, key="seen", text="When was the child seen?", kind="date")
    f.QuestionFactory(
        audit=audit, key="why", text="Why?", kind="text", allows_not_applicable=True, position=1
    )
    case = f.CaseFactory(audit=audit, reference="D-E-01", area=areas["East"])
    request = f.RequestFactory(case=case, agency=agencies["Police"], status=RequestStatus.SUBMITTED)
    f.ReturnFactory(request=request, answers={"seen": "2024-03-05", "why": "not_applicable"})

    listed = {q.key: [t.text for t in texts] for q, texts in free_text_answers(audit)}

    assert listed == {"seen": ["5 March 2024"], "why": ["Not applicable"]}


def test_the_report_summary_carries_the_answers_and_the_key_measures(answered):
    summary = report_summary(answered)

    alone, record = summary["answers"]
    assert alone == {
        "key": "alone",
        "text": "Was the child seen alone?",
        "kind": "yes_no_partly",
        "key_measure": True,
        "options": [
            {"value": "yes", "label": "Yes"},
            {"value": "no", "label": "No"},
            {"value": "partly", "label": "Partly"},
        ],
        "answered": 6,
        "counts": {"yes": 4, "no": 1, "partly": 1},
        "by_area": {
            "East": {"answered": 4, "counts": {"yes": 2, "no": 1, "partly": 1}},
            "North": {"answered": 2, "counts": {"yes": 2, "no": 0, "partly": 0}},
        },
        "by_agency": {
            "Children's Social Care": {"answered": 3, "counts": {"yes": 2, "no": 0, "partly": 1}},
            "Police": {"answered": 3, "counts": {"yes": 2, "no": 1, "partly": 0}},
        },
    }
    assert record["key_measure"] is False
    # Only the key question is a key measure, and the board does not read its small counts.
    [measure] = summary["key_measures"]
    assert measure["key"] == "alone"
    assert measure["headers"] == ["Answer", "All returns", "East", "North"]
    rows = {row[0]: row[1:] for row in measure["rows"]}
    raw = {"Yes": [4, 2, 2], "No": [1, 1, 0], "Partly": [1, 1, 0], "Answered": [6, 4, 2]}
    assert list(rows) == list(raw)
    for name, cells in rows.items():
        for shown, real in zip(cells, raw[name], strict=True):
            # A count shown is the real one; a small one is never shown.
            assert shown == real if isinstance(shown, int) else shown in HIDDEN
            assert not (0 < real < 3 and isinstance(shown, int))
    assert rows["No"][0] == "fewer than 3"  # 1 "no" from all returns
    assert rows["Answered"][0] == 6  # how many answered: not small, nothing to give away
    # A published edition's summary leaves the raw counts out.
    assert "answers" not in public_summary(summary)
    assert public_summary(summary)["key_measures"] == summary["key_measures"]


def test_no_small_count_the_board_reads_can_be_worked_out():
    """Every hidden count of the key measures could be at least two values, given the totals."""
    answers = [
        {
            "key": "q",
            "text": "Q?",
            "kind": "yes_no_partly",
            "key_measure": True,
            "options": [{"value": v, "label": v.title()} for v in ("yes", "no", "partly")],
            "answered": 10,
            "counts": {"yes": 8, "no": 2, "partly": 0},
            "by_area": {
                "East": {"answered": 5, "counts": {"yes": 4, "no": 1, "partly": 0}},
                "North": {"answered": 5, "counts": {"yes": 4, "no": 1, "partly": 0}},
            },
            "by_agency": {},
        }
    ]
    [measure] = key_measure_tables(answers, threshold=3)
    rows = {row[0]: row[1:] for row in measure["rows"]}
    assert rows["No"][1] in HIDDEN and rows["No"][2] in HIDDEN  # East's 1 and North's 1
    # East's "no" is not its answered minus its other answers ...
    east = [rows[name][1] for name in ("Yes", "Partly", "Answered")]
    assert not all(isinstance(cell, int) for cell in east)
    # ... and all returns' 2 "no" are not East's and North's, each then exactly 1.
    assert not (rows["No"][0] == 2 and rows["No"][1] == rows["No"][2] == "fewer than 3")
    # With a threshold of 2, "fewer than 2" would say 1: a 1 is "not shown".
    [low] = key_measure_tables(answers, threshold=2)
    cells = [cell for row in low["rows"] for cell in row[1:]]
    assert "not shown" in cells and "fewer than 2" not in cells


def test_the_report_prints_the_key_measures_table_and_chart(answered):
    from maca.reports.charts import all_charts

    document = report_document(answered)
    [scoring] = [s for s in document["sections"] if s["key"] == "scoring"]
    assert {"kind": "chart", "key": "key_measures", "source": "data"} in scoring["blocks"]
    chart = {c.key: c for c in all_charts(document["summary"])}["key_measures"]
    # The chart's data table is the key measures table: each key question's rows under it.
    assert chart.table.caption.startswith("Answers to the key questions, counting returns")
    assert chart.table.headers == ("Key question", "Answer", "All returns", "East", "North")
    [measure] = document["summary"]["key_measures"]
    assert [list(row) for row in chart.table.rows] == [
        [text, *row]
        for text, row in zip(
            ["Was the child seen alone?", "", "", ""], measure["rows"], strict=True
        )
    ]


def test_without_key_measures_the_report_has_no_such_table(answered):
    Question.objects.filter(audit=answered).update(key_measure=False)
    document = report_document(answered)
    assert document["summary"]["key_measures"] == []
    blocks = [b for s in document["sections"] for b in s["blocks"]]
    assert not [b for b in blocks if b["kind"] == "table" or b.get("key") == "key_measures"]


# The coordinators' page and CSV -----------------------------------------------------------------


def test_the_coordinator_reads_the_counts_and_the_answers_in_words(
    answered, coordinator, client_for
):
    page = client_for(coordinator).get(reverse("audits:answers", args=[answered.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Was the child seen alone?" in text
    assert "Yes in 4 of 6 returns, No in 1, Partly in 1." in text
    assert "Scared of dad" in text and "S-N-01, Police" in text
    # The page shows case-level text: each view is in the access log.
    assert AccessRecord.objects.filter(kind=AccessKind.ANSWERS, audit_id=answered.pk).count() == 1


def test_the_csv_holds_every_count(answered, coordinator, client_for):
    response = client_for(coordinator).get(reverse("audits:answers_csv", args=[answered.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    police_no = [
        r
        for r in rows
        if r["Question key"] == "alone" and r["Name"] == "Police" and r["Answer"] == "No"
    ]
    assert [(r["Counted by"], r["Returns"], r["Returns answering"]) for r in police_no] == [
        ("Agency", "1", "3")
    ]
    assert {r["Question key"] for r in rows} == {"alone", "record"}  # no free text
    assert "Scared of dad" not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("who", ["police_auditor", "agency_lead", "board_member"])
def test_no_one_but_the_coordinator_opens_the_answers(answered, who, request, client_for):
    client = client_for(request.getfixturevalue(who))
    for name in ("audits:answers", "audits:answers_csv"):
        assert client.get(reverse(name, args=[answered.pk])).status_code == 403


def test_another_partnerships_coordinator_finds_nothing(
    answered, other_partnership_coordinator, client_for
):
    client = client_for(other_partnership_coordinator)
    assert client.get(reverse("audits:answers", args=[answered.pk])).status_code == 404


def test_the_audit_page_links_to_the_answers_once_requests_are_out(
    answered, coordinator, client_for
):
    client = client_for(coordinator)
    link = reverse("audits:answers", args=[answered.pk])
    assert link in client.get(reverse("audits:detail", args=[answered.pk])).content.decode()
    answered.status = AuditStatus.PLANNING
    answered.save()
    assert link not in client.get(reverse("audits:detail", args=[answered.pk])).content.decode()


def test_the_api_report_summary_carries_the_answers_and_key_measures(answered, coordinator, api_as):
    response = api_as(coordinator).get(f"/audits/{answered.pk}/report-summary")
    assert response.status_code == 200
    summary = report_summary(answered)
    assert response.json()["answers"] == summary["answers"]
    assert response.json()["key_measures"] == summary["key_measures"]


def test_the_key_measures_chart_leaves_hidden_counts_out_and_names_them():
    from maca.reports.charts import key_measures

    measure = {
        "key": "alone",
        "text": "Was the child seen alone?",
        "headers": ["Answer", "All returns", "East", "North"],
        "rows": [
            ["Yes", 9, 5, 4],
            ["No", "fewer than 3", "fewer than 3", 0],
            ["Partly", "not shown", "not shown", "not shown"],
            ["Answered", 12, "not shown", "not shown"],
        ],
    }
    chart = key_measures([measure])
    assert "Was the child seen alone?: Yes 9, No fewer than 3, Partly not shown" in chart.alt
    assert chart.table.rows[1] == ("", "No", "fewer than 3", "fewer than 3", 0)
    svg = chart.svg()
    drawn = svg[svg.index("</desc>") :]  # the picture, after its title and text alternative
    assert 'role="img"' in svg and "Yes 9" in drawn
    assert "fewer than 3" not in drawn and "not shown" not in drawn  # no bar for a hidden count


def test_a_choice_question_is_counted_per_option_with_not_applicable(partnership, areas, agencies):
    audit = f.AuditFactory(partnership=partnership, title="Who led")
    f.QuestionFactory(
        audit=audit,
        key="lead",
        text="Who led the plan?",
        kind="choice",
        options=["Social care", "Health"],
        allows_not_applicable=True,
        key_measure=True,
    )
    for reference, answer in (("W-1", "Health"), ("W-2", "not_applicable"), ("W-3", "Health")):
        case = f.CaseFactory(audit=audit, reference=reference, area=areas["East"])
        f.ReturnFactory(
            request=f.RequestFactory(
                case=case, agency=agencies["Police"], status=RequestStatus.SUBMITTED
            ),
            answers={"lead": answer},
        )
    [lead] = answers_counted(audit)
    assert lead.overall.counts == {"Social care": 0, "Health": 2, "not_applicable": 1}
    assert lead.said() == "Social care in 0 of 3 returns, Health in 2, Not applicable in 1."
