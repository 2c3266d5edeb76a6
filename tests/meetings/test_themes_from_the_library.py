"""Naming a theme at the meeting from the partnership's library, and the warning before a
near-duplicate of one of the library's themes is made."""

import pytest
from django.urls import reverse
from django.utils import timezone

from maca.errors import DomainError
from maca.meetings import themes
from maca.meetings.models import AuditTheme
from maca.partnerships.models import LibraryTheme
from maca.partnerships.selectors import library_theme_close_to, theme_words, titles_close
from tests import factories as f
from tests.pages import text_of


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Information sharing with GPs", "information sharing with GP"),
        ("Information sharing with GPs", "GPs: information-sharing with"),
        ("Engagement with families", "Engagment with families"),
        ("Mental-health provision", "mental health provisions"),
        ("Education as a protective factor", "Education as protective factors"),
    ],
)
def test_titles_of_the_same_theme_are_close(one, other):
    assert titles_close(one, other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Information sharing with GPs", "Information sharing with schools"),
        ("Engagement", "Neglect"),
        ("Housing", ""),
        ("Mental-health provision", "Education as a protective factor"),
    ],
)
def test_titles_of_other_themes_are_not(one, other):
    assert not titles_close(one, other)


def test_a_title_is_read_as_its_singular_words():
    assert theme_words("GPs' information-sharing, Families!") == (
        "gp",
        "information",
        "sharing",
        "family",
    )


@pytest.fixture
def library(partnership):
    return {
        title: f.LibraryThemeFactory(partnership=partnership, title=title)
        for title in ("Information sharing with GPs", "Engagement with families")
    }


def test_the_closest_live_library_theme_is_found(partnership, library):
    assert (
        library_theme_close_to(partnership, "information-sharing with GP")
        == library["Information sharing with GPs"]
    )
    assert library_theme_close_to(partnership, "Housing") is None
    merged = library["Engagement with families"]
    merged.merged_into = library["Information sharing with GPs"]
    merged.merged_at = timezone.now()
    merged.save()
    assert library_theme_close_to(partnership, "Engagement with family") is None


@pytest.fixture
def case(moderation):
    return moderation.cases.get(reference="T-E-01")


def test_a_near_duplicate_is_refused_until_confirmed(moderation, case, coordinator, library):
    with pytest.raises(themes.NearLibraryTheme) as refused:
        themes.case_theme_create_and_tag(case=case, by=coordinator, title="Engagment with family")
    assert refused.value.close == library["Engagement with families"]
    assert refused.value.field == "title"
    assert "A library theme ‘Engagement with families’ is close to this" in refused.value.message
    assert not moderation.themes.filter(title="Engagment with family").exists()

    theme = themes.case_theme_create_and_tag(
        case=case, by=coordinator, title="Engagment with family", confirmed_new=True
    )
    assert theme.library_theme is None and case in theme.cases.all()


def test_a_library_theme_chosen_or_typed_is_linked(moderation, case, coordinator, library):
    # The audit has a theme of this title already, not linked: it is linked, not doubled.
    gps = library["Information sharing with GPs"]
    theme = themes.case_theme_create_and_tag(case=case, by=coordinator, library_theme=gps)
    assert (theme.title, theme.library_theme) == (gps.title, gps)
    assert moderation.themes.filter(title__iexact=gps.title).count() == 1
    # Chosen again for another case: the same audit theme, not a second one.
    second = moderation.cases.get(reference="T-N-01")
    again = themes.case_theme_create_and_tag(case=second, by=coordinator, library_theme=gps)
    assert again == theme and set(theme.cases.all()) == {case, second}

    typed = themes.case_theme_create_and_tag(
        case=case, by=coordinator, title="ENGAGEMENT WITH FAMILIES"
    )
    assert typed.library_theme == library["Engagement with families"]


def test_another_partnerships_library_theme_is_refused(moderation, case, coordinator):
    elsewhere = f.LibraryThemeFactory(title="Housing")
    with pytest.raises(DomainError):
        themes.case_theme_create_and_tag(case=case, by=coordinator, library_theme=elsewhere)


def test_the_page_warns_then_uses_the_library_theme(
    moderation, case, client_for, coordinator, library
):
    client = client_for(coordinator)
    case_page = reverse("audits:meeting_case", args=[moderation.pk, case.pk])
    page = client.get(case_page)
    html = page.content.decode()
    assert "A theme from the library" in text_of(page)
    assert '<option value="">Choose a library theme</option>' in html

    url = reverse("audits:case_theme_tag", args=[moderation.pk, case.pk])
    response = client.post(url, {"title": "information sharing with GP", "next": case_page})
    page = text_of(response)
    assert "A library theme ‘Information sharing with GPs’ is close to this" in page
    assert "Confirm a new theme" in page
    assert not AuditTheme.objects.filter(title="information sharing with GP").exists()

    gps = library["Information sharing with GPs"]
    response = client.post(url, {"library_theme": str(gps.pk), "next": case_page})
    assert response["Location"] == case_page
    assert moderation.themes.get(library_theme=gps).cases.filter(pk=case.pk).exists()


def test_the_page_confirms_a_new_theme(moderation, case, client_for, coordinator, library):
    client = client_for(coordinator)
    url = reverse("audits:case_theme_tag", args=[moderation.pk, case.pk])
    client.post(url, {"title": "Engagement with family", "confirm_new": "yes"})
    assert moderation.themes.get(title="Engagement with family").library_theme is None
    assert LibraryTheme.objects.filter(partnership=moderation.partnership).count() == 2


def test_another_partnerships_library_theme_is_not_found(moderation, case, client_for, coordinator):
    elsewhere = f.LibraryThemeFactory(title="Housing")
    url = reverse("audits:case_theme_tag", args=[moderation.pk, case.pk])
    response = client_for(coordinator).post(url, {"library_theme": str(elsewhere.pk)})
    assert response.status_code == 404


def test_the_register_warns_before_a_new_library_theme_close_to_one(
    moderation, client_for, coordinator, library
):
    client = client_for(coordinator)
    url = reverse("audits:themes", args=[moderation.pk])
    data = {"title": "Families not engaged", "new_library_title": "Engagment with family"}
    page = text_of(client.post(url, data))
    assert "A library theme ‘Engagement with families’ is close to this" in page
    assert "Make it a new library theme all the same" in page
    assert not moderation.themes.filter(title="Families not engaged").exists()

    client.post(url, {**data, "confirm_new_library": "on"})
    theme = moderation.themes.get(title="Families not engaged")
    assert theme.library_theme.title == "Engagment with family"
