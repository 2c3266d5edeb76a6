"""The API's report summary carries the cases by profile (decision 69) as the report does."""

import pytest

from maca.reports.summary import report_summary

pytestmark = pytest.mark.django_db


def test_the_report_summary_carries_the_profiles(coordinator, audit, api_as):
    audit.partnership.profile_fields = ["level_of_need"]
    audit.partnership.save()
    for case in audit.cases.all():
        case.level_of_need = "child_in_need"
        case.save()

    response = api_as(coordinator).get(f"/audits/{audit.pk}/report-summary")

    assert response.status_code == 200
    profiles = response.json()["profiles"]
    assert profiles == report_summary(audit)["profiles"]
    assert [row[:2] for row in profiles[0]["rows"]] == [["Child in need", 2]]
