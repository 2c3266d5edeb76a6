from django.urls import reverse


def test_the_coordinator_sees_every_audit_of_the_partnership(audit, coordinator, client_for):
    page = client_for(coordinator).get(reverse("home"))
    assert audit.title in page.content.decode()
    assert "1 of 3" in page.content.decode()  # returns submitted of requested


def test_an_agency_auditor_sees_only_their_agencys_counts(audit, police_auditor, client_for):
    page = client_for(police_auditor).get(reverse("home")).content.decode()
    assert audit.title in page
    assert "Your returns submitted" in page and "1 of 1" in page


def test_an_agency_not_involved_sees_no_audit(audit, health_auditor, client_for):
    page = client_for(health_auditor).get(reverse("home")).content.decode()
    assert audit.title not in page
    assert "There are no audits to show yet." in page


def test_a_board_member_sees_audits_without_return_counts(audit, board_member, client_for):
    page = client_for(board_member).get(reverse("home")).content.decode()
    assert audit.title in page
    assert "Returns submitted" not in page


def test_a_planned_audit_is_not_shown_to_agencies_before_requests_go_out(
    audit, police_auditor, client_for
):
    audit.status = "planning"
    audit.save()
    assert audit.title not in client_for(police_auditor).get(reverse("home")).content.decode()


def test_another_partnerships_audits_never_show(audit, other_audit, coordinator, client_for):
    assert other_audit.title not in client_for(coordinator).get(reverse("home")).content.decode()


def test_a_person_without_a_membership_is_told_so(outsider, client_for):
    page = client_for(outsider).get(reverse("home")).content.decode()
    assert "not a member of any partnership" in page


def test_authenticated_pages_are_not_cached(coordinator, client_for):
    response = client_for(coordinator).get(reverse("home"))
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
