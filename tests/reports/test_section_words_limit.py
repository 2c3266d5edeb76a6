"""Issue 18: a report section's words have a length limit, with a clear message naming the field,
wherever words come in: the page, its autosave, the service, and the API (a bundle's next steps,
the words of the report's last section: tests/api/test_bundles.py)."""

import pytest
from django.urls import reverse

from maca.bundles.validation import schema
from maca.errors import DomainError
from maca.reports import services
from maca.reports.forms import SectionForm
from maca.reports.models import ReportSection
from tests.pages import text_of

LIMIT = ReportSection.WORDS_MAX
TOO_LONG = "The family moved often. " * (LIMIT // 24) + "x" * (LIMIT % 24 + 1)
MESSAGE = f"The words of a section can be at most {LIMIT:,} characters; these are {LIMIT + 1:,}."


def test_the_limit_is_ten_thousand_characters():
    assert LIMIT == 10_000
    assert len(TOO_LONG) == LIMIT + 1


def test_the_service_refuses_words_too_long_naming_the_field(reporting, coordinator):
    with pytest.raises(DomainError) as refused:
        services.section_save(
            audit=reporting, key="next_steps", text=TOO_LONG, version=0, by=coordinator
        )
    assert refused.value.field == "text"
    assert MESSAGE in refused.value.message
    assert not ReportSection.objects.filter(audit=reporting).exists()


def test_the_service_keeps_words_of_exactly_the_limit(reporting, coordinator):
    section = services.section_save(
        audit=reporting, key="next_steps", text=TOO_LONG[:LIMIT], version=0, by=coordinator
    )
    assert len(section.text) == LIMIT


def test_the_form_refuses_words_too_long_naming_the_field():
    form = SectionForm({"text": TOO_LONG, "version": 0})
    assert not form.is_valid()
    assert form.errors == {"text": [f"{MESSAGE} Shorten them, or move some to another section."]}
    # A Windows line end is one character, as the service counts it.
    assert SectionForm({"text": "a\r\n" * (LIMIT // 2), "version": 0}).is_valid()


def test_the_page_refuses_words_too_long_and_keeps_them_in_the_box(
    reporting, coordinator, client_for
):
    response = client_for(coordinator).post(
        reverse("audits:report_section", args=[reporting.pk, "next_steps"]),
        {"text": TOO_LONG, "version": 0, "action": "save"},
    )
    assert response.status_code == 400
    page = text_of(response)
    assert f"Error: {MESSAGE}" in page
    assert "There is a problem" in page
    assert TOO_LONG.encode()[:200] in response.content  # nothing typed is lost
    assert not ReportSection.objects.filter(audit=reporting).exists()


def test_autosave_says_why_it_did_not_save(reporting, coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("audits:report_autosave", args=[reporting.pk, "next_steps"]),
        {"text": TOO_LONG, "version": 0},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert (
        text_of(response) == f"Not saved: {MESSAGE} Shorten them, or move some to another section."
    )
    assert not ReportSection.objects.filter(audit=reporting).exists()


def test_the_bundle_schema_holds_the_same_limit():
    assert schema()["properties"]["audit"]["properties"]["next_steps"]["maxLength"] == LIMIT
