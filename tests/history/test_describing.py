"""The change history in words: each kind of change as it is recorded (by saving real rows), in
the sentence a coordinator or an inspector reads, and the generic sentence for the rest."""

import datetime

from django.urls import reverse

from maca.actions.models import ActionStatus
from maca.audits.models import AuditStatus, RequestStatus
from maca.history.describing import QUOTED_LONGEST, Names, describe, described
from maca.history.models import ChangeRecord
from maca.history.tracking import actor
from maca.reports.models import NameToCatch, Report, ReportSection
from tests import factories as f
from tests.pages import text_of


def sentence(obj) -> str:
    """The sentence of the last change recorded for `obj`."""
    record = (
        ChangeRecord.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-at", "-id")
        .first()
    )
    assert record is not None
    return describe(record, Names.of([record]))


def test_a_theme_linked_to_the_library_says_both_titles(audit):
    theme = f.AuditThemeFactory(audit=audit, title="Information sharing")
    assert sentence(theme) == "Theme ‘Information sharing’ added"

    library = f.LibraryThemeFactory(
        partnership=audit.partnership, title="Information sharing (multi-agency)"
    )
    theme.library_theme = library
    theme.save()
    assert sentence(theme) == (
        "Theme ‘Information sharing’ linked to library theme ‘Information sharing (multi-agency)’"
    )

    theme.library_theme = None
    theme.save()
    assert sentence(theme) == (
        "Theme ‘Information sharing’ unlinked from library theme "
        "‘Information sharing (multi-agency)’"
    )


def test_a_themes_cases_are_named_by_reference(audit):
    theme = f.AuditThemeFactory(audit=audit, title="Drift")
    theme.cases.add(*audit.cases.all())
    assert sentence(theme) == "Theme ‘Drift’: cases T-E-01, T-N-01 added"
    theme.cases.remove(audit.cases.get(reference="T-N-01"))
    assert sentence(theme) == "Theme ‘Drift’: case T-N-01 removed"


def test_a_theme_renamed(audit):
    theme = f.AuditThemeFactory(audit=audit, title="Drift")
    theme.title = "Drift in plans"
    theme.save()
    assert sentence(theme) == "Theme ‘Drift’ renamed ‘Drift in plans’"


def test_a_ratification_says_the_grade_and_the_proposed_one(audit):
    case = audit.cases.get(reference="T-E-01")
    ratification = f.RatificationFactory(
        case=case, grade="good", proposed_grade="requires_improvement", reason="Seen whole."
    )
    assert sentence(ratification) == "Case T-E-01 ratified as Good (proposed Requires improvement)"

    ratification.grade = "inadequate"
    ratification.save()
    assert sentence(ratification) == (
        "Case T-E-01 ratified as Inadequate (was Good) (proposed Requires improvement)"
    )


def test_a_ratification_as_proposed_and_a_case_not_scored(audit):
    first, second = audit.cases.order_by("reference")
    agreed = f.RatificationFactory(case=first, grade="good", proposed_grade="good")
    assert sentence(agreed) == "Case T-E-01 ratified as Good"
    unscored = f.RatificationFactory(case=second, grade="not_scored", reason="No returns.")
    assert sentence(unscored) == "Case T-N-01 not scored"


def test_an_audit_moving_on_and_on_legal_hold(audit):
    audit.status = AuditStatus.MODERATION
    audit.save()
    was, now = AuditStatus.COLLECTING.label.lower(), AuditStatus.MODERATION.label.lower()
    assert sentence(audit) == f"Audit ‘Transitions to adult services’ moved from {was} to {now}"
    audit.legal_hold, audit.legal_hold_reason = True, "A claim is expected."
    audit.save()
    assert sentence(audit) == "Audit ‘Transitions to adult services’ put on legal hold"


def test_a_case_added_locked_and_removed(audit, areas):
    case = f.CaseFactory(audit=audit, reference="T-C-09", area=areas["Central"])
    assert sentence(case) == "Case T-C-09 added (area Central)"
    case.locked_at = datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC)
    case.save()
    assert sentence(case) == "Case T-C-09 locked"


def test_a_request_and_its_return(audit, csc_request):
    csc_request.status = RequestStatus.DRAFT
    csc_request.save()
    assert sentence(csc_request) == "Request to Children's Social Care for Case T-E-01: draft"

    police_return = audit.requests.get(agency__name="Police").agency_return
    police_return.grade = "inadequate"
    police_return.save()
    reference = police_return.request.case.reference
    assert sentence(police_return) == f"Police’s return for case {reference} graded Inadequate"


def test_points_meetings_and_attendees(audit, agencies):
    point = f.CasePointFactory(case=audit.cases.get(reference="T-E-01"), kind="good_practice")
    assert sentence(point) == "Good practice noted for Case T-E-01"
    meeting = f.MeetingFactory(audit=audit, held_on=datetime.date(2026, 3, 2))
    assert sentence(meeting) == "Meeting on 2026-03-02 set up"
    attendee = f.AttendeeFactory(meeting=meeting, name="Sam Jones", agency=agencies["Police"])
    assert sentence(attendee) == "Attendee ‘Sam Jones’ (Police) added to the meeting"


def test_recommendations_and_actions(audit, agencies):
    theme = f.AuditThemeFactory(audit=audit, title="Drift")
    recommendation = f.RecommendationFactory(audit=audit, text="Review plans every month.")
    assert sentence(recommendation) == "Recommendation ‘Review plans every month.’ added"
    recommendation.themes.add(theme)
    assert (
        sentence(recommendation) == "Recommendation ‘Review plans every month.’: theme Drift added"
    )

    action = f.ActionFactory(
        recommendation=recommendation, agency=agencies["Police"], description="Audit plans"
    )
    assert sentence(action) == "Action ‘Audit plans’ for Police added, due 2027-03-31"
    action.status = ActionStatus.COMPLETE
    action.save()
    was = ActionStatus(f.ActionFactory._meta.model._meta.get_field("status").default)
    assert sentence(action) == (
        f"Action ‘Audit plans’ for Police: {was.label.lower()} → "
        f"{ActionStatus.COMPLETE.label.lower()}"
    )


def test_the_reports_way_to_publication(audit, coordinator):
    section = ReportSection.objects.create(
        partnership=audit.partnership, audit=audit, key="scoring", custom=True, text="Ours."
    )
    assert sentence(section) == "Report section ‘Scoring’: words edited"
    section.custom = False
    section.save()
    assert sentence(section) == "Report section ‘Scoring’ back to its generated words"

    report = Report.objects.create(partnership=audit.partnership, audit=audit)
    report.sent_by, report.sent_at = coordinator, datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    report.save()
    assert sentence(report) == "Report sent for approval"
    report.charts_left_out = ["grades_by_area"]
    report.save()
    assert sentence(report) == "Charts left out of what goes to the board: Grades by area"


def test_a_name_to_catch_is_never_repeated(partnership):
    name = NameToCatch.objects.create(partnership=partnership, name="Jayden Smith")
    assert sentence(name) == "A name to catch added"
    assert "Jayden" not in sentence(name)


def test_any_other_change_gets_a_generic_sentence(audit):
    question = audit.questions.get()
    question.text = "Was the child's voice heard and acted on?"
    question.save()
    assert sentence(question) == (
        "Question ‘Was the child's voice heard and acted on?’ changed: text"
    )


def test_a_long_title_is_cut(audit):
    theme = f.AuditThemeFactory(audit=audit, title="A" * 150)
    said = sentence(theme)
    assert len(said) < len("Theme ‘’ added") + QUOTED_LONGEST + 1
    assert said.endswith("…’ added")


def test_the_page_reads_in_words_with_the_fields_in_a_details_element(
    audit, coordinator, client_for
):
    case = audit.cases.get(reference="T-E-01")
    with actor(coordinator):
        f.RatificationFactory(case=case, grade="good", proposed_grade="requires_improvement")

    response = client_for(coordinator).get(reverse("audits:history", args=[audit.pk]))

    page = text_of(response)
    assert "Case T-E-01 ratified as Good (proposed Requires improvement)" in page
    assert b'<details class="govuk-details' in response.content
    assert "What changed, field by field" in page


def test_a_page_of_records_names_what_they_point_at_in_a_few_queries(
    audit, django_assert_max_num_queries
):
    for n in range(5):
        f.AuditThemeFactory(audit=audit, title=f"Theme {n}").cases.add(*audit.cases.all())
    records = list(ChangeRecord.objects.filter(audit_id=audit.pk))
    with django_assert_max_num_queries(6):
        sentences = [said for _, said in described(records)]
    assert "Theme ‘Theme 4’: cases T-E-01, T-N-01 added" in sentences
