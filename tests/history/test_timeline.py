from django.urls import reverse

from maca.audits.models import RequestStatus
from maca.history.tracking import actor
from maca.meetings.models import Ratification
from tests import factories as f


def test_the_timeline_shows_who_changed_what_and_why(audit, coordinator, client_for):
    case = audit.cases.first()
    with actor(coordinator):
        f.RatificationFactory(case=case, grade="good")
    ratification = Ratification.objects.get(case=case)
    with actor(coordinator, reason="the meeting saw drift in the plan"):
        ratification.grade = "requires_improvement"
        ratification.reason = "the meeting saw drift in the plan"
        ratification.save()

    page = client_for(coordinator).get(reverse("audits:history", args=[audit.pk]))

    text = page.content.decode()
    assert "the meeting saw drift in the plan" in text
    assert 'Good</span> → <span class="maca-change__after">Requires improvement' in text
    assert coordinator.name in text


def test_the_timeline_shows_a_status_in_the_pages_words(
    audit, csc_request, coordinator, client_for
):
    with actor(coordinator):
        csc_request.status = RequestStatus.DRAFT
        csc_request.save()

    page = client_for(coordinator).get(reverse("audits:history", args=[audit.pk]))

    text = page.content.decode()
    assert 'Not returned</span> → <span class="maca-change__after">Draft' in text
    assert "outstanding" not in text.lower()


def test_the_timeline_holds_only_this_audits_changes(audit, coordinator, client_for):
    f.AuditFactory(partnership=audit.partnership, title="Another audit entirely")
    page = client_for(coordinator).get(reverse("audits:history", args=[audit.pk]))
    assert "Another audit entirely" not in page.content.decode()


def test_the_timeline_never_shows_an_agencys_record_number(audit, coordinator, client_for):
    request = audit.requests.get(agency__name="Police")
    request.agency_record_number = "POL-55012"
    request.save()

    page = client_for(coordinator).get(reverse("audits:history", args=[audit.pk]))

    assert "POL-55012" not in page.content.decode()
    assert "own record: hidden" in page.content.decode()
