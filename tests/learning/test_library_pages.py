"""The theme library's pages: the list, a theme's findings, adding, editing and merging."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maca.audits.models import AuditStatus
from maca.learning.library import library_theme_merge, library_theme_update
from maca.partnerships.models import LibraryTheme
from tests import factories as f
from tests.pages import text_of

from .library_scene import GPS, graded_audit, library_scene


@pytest.fixture
def scene(partnership, areas, audit):
    return library_scene(partnership, areas, audit)


def theme_url(name, theme):
    return reverse(f"learning:{name}", args=[theme.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def row_of(page: str, title: str) -> str:
    """The text of the list's row for a theme: from its title to the next theme's."""
    start = page.index(title)
    return page[start : start + 160]


# --- The list ------------------------------------------------------------------------------


def test_the_list_counts_the_graded_audits_each_theme_was_found_in(scene, coordinator, client_for):
    response = client_for(coordinator).get(reverse("learning:library"))

    assert response.status_code == 200
    page = text_of(response)
    assert "2 themes" in page
    gps = row_of(page, GPS)
    # The collecting audit's link does not count: its cases are not graded yet.
    assert "Recurring Agencies do not share with the GP 2 Transitions in 2024 1 May 2024" in gps
    assert "Engagement 0 Not found in an audit yet" in page
    assert "Add a theme" in page


def test_a_merged_theme_is_not_listed(scene, coordinator, client_for):
    library_theme_merge(source=scene.engagement, target=scene.gps, by=coordinator, reason="Same")

    page = text_of(client_for(coordinator).get(reverse("learning:library")))

    assert "1 theme " in page and "Engagement" not in page


def test_a_theme_found_in_one_audit_is_not_recurring(scene, coordinator, client_for):
    scene.neglect.delete()

    page = text_of(client_for(coordinator).get(reverse("learning:library")))

    assert "Recurring" not in page
    assert f"{GPS} Agencies do not share with the GP 1 Transitions in 2024" in page


def test_board_members_read_the_list_without_the_add_button(scene, board_member, client_for):
    f.published_report(scene.transitions.audit)

    response = client_for(board_member).get(reverse("learning:library"))

    page = text_of(response)
    assert response.status_code == 200
    assert "Recurring Agencies do not share with the GP 2 Transitions in 2024" in page
    assert "Add a theme" not in page


def test_board_members_count_an_audit_once_its_report_is_published(scene, board_member, client_for):
    # Transitions is in monitoring, its report not yet published: the board does not count it.
    page = text_of(client_for(board_member).get(reverse("learning:library")))
    assert "Agencies do not share with the GP 1 Neglect in 2023 1 March 2023" in page
    assert "Transitions in 2024" not in page
    assert "Recurring" not in page


def test_the_list_takes_the_same_number_of_queries_whatever_its_size(
    scene, partnership, areas, coordinator, client_for
):
    client = client_for(coordinator)
    url = reverse("learning:library")
    client.get(url)  # the session and the viewer, once
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(4):
        library = f.LibraryThemeFactory(partnership=partnership, title=f"Theme {n}")
        graded_audit(
            partnership,
            areas,
            title=f"Audit {n}",
            status=AuditStatus.CLOSED,
            held_on=datetime.date(2022, 1, n + 1),
            cases=2,
            theme=f"Audit theme {n}",
            tagged=1,
            library=library if n % 2 else scene.gps,
        )

    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert "6 themes" in text_of(response)
    assert len(large) == len(small)


# --- A theme's page --------------------------------------------------------------------------


def test_a_themes_page_lists_each_audit_it_was_found_in(scene, coordinator, client_for):
    response = client_for(coordinator).get(theme_url("library_theme", scene.gps))

    page = text_of(response)
    assert response.status_code == 200
    assert "Found in 2 audits Recurring" in page
    assert (
        "Transitions in 2024 1 May 2024 Sharing with GPs 1 of the 2 cases T-01 "
        "Neglect in 2023 1 March 2023 GP information sharing 2 of the 3 cases N-01 N-02"
    ) in page
    assert "Transitions to adult services" not in page  # still collecting
    assert "Edit the theme" in page and "Merge it into another theme" in page


def test_board_members_see_the_figures_suppressed_without_case_references(
    scene, board_member, client_for
):
    f.CasePointFactory(case=scene.neglect.cases.first(), text="Seen at school daily")
    f.published_report(scene.transitions.audit)

    response = client_for(board_member).get(theme_url("library_theme", scene.gps))

    page = text_of(response)
    assert response.status_code == 200
    # Counts below the partnership's threshold (3) are "fewer than 3" for the board. Neglect
    # was loaded closed, its report published before maca: none of its words are shown.
    assert "Transitions in 2024 1 May 2024 Sharing with GPs fewer than 3 of the 2 cases" in page
    assert (
        "Neglect in 2023 1 March 2023 Not in a report published here fewer than 3 of the 3 cases"
    ) in page
    assert "GP information sharing" not in page
    assert "1 of the 2 cases" not in page and "2 of the 3 cases" not in page
    for reference in ("T-01", "N-01", "N-02"):
        assert reference not in response.content.decode()
    assert "Seen at school daily" not in page
    assert "Edit the theme" not in page and "Merge it" not in page


def test_a_merged_themes_page_says_where_it_went(scene, coordinator, client_for):
    library_theme_merge(source=scene.engagement, target=scene.gps, by=coordinator, reason="Same")
    scene.engagement.refresh_from_db()

    response = client_for(coordinator).get(theme_url("library_theme", scene.engagement))

    on = timezone.localdate(scene.engagement.merged_at)
    assert f"Merged into {GPS} on {on:%-d %B %Y}" in text_of(response)
    assert f'href="{theme_url("library_theme", scene.gps)}"' in response.content.decode()
    assert "Edit the theme" not in text_of(response)
    target = text_of(client_for(coordinator).get(theme_url("library_theme", scene.gps)))
    assert f"Merged into this theme Engagement (merged on {on:%-d %B %Y})" in target


def test_board_members_read_an_audits_themes_only_as_its_report_printed_them(
    scene, board_member, client_for
):
    theme = scene.transitions
    theme.description = "Shared late with the GP"
    theme.save()
    f.published_report(theme.audit)
    # Changed after publication (by whatever path): the board still reads what was published.
    theme.title = "Sharing with GPs: Jayden Smith"
    theme.description = "Jayden Smith, NHS 943 476 5919, born 3 March 2015"
    theme.save()

    page = text_of(client_for(board_member).get(theme_url("library_theme", scene.gps)))

    assert "Jayden" not in page and "943 476 5919" not in page and "3 March 2015" not in page
    assert "Transitions in 2024 1 May 2024 Not in a report published here" in page
    theme.title = "Sharing with GPs"
    theme.save()
    page = text_of(client_for(board_member).get(theme_url("library_theme", scene.gps)))
    assert "Sharing with GPs Shared late with the GP fewer than 3 of the 2 cases" in page
    assert "Jayden" not in page


# --- Adding and editing ------------------------------------------------------------------------


def test_a_coordinator_adds_a_theme(partnership, coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("learning:library_add"), {"title": "Neglect", "description": "Chronic neglect"}
    )

    theme = LibraryTheme.objects.get(partnership=partnership)
    assert response.status_code == 302
    assert response["Location"] == theme_url("library_theme", theme)
    assert messages_of(response) == ["Theme added to the library: Neglect"]


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "Enter the theme's title"), ("engagement", "already has a theme called “Engagement”")],
)
def test_a_theme_without_a_good_title_is_refused_naming_the_field(
    scene, coordinator, client_for, title, message
):
    response = client_for(coordinator).post(reverse("learning:library_add"), {"title": title})

    assert response.status_code == 400
    assert 'href="#id_title"' in response.content.decode()
    page = text_of(response)
    assert "There is a problem" in page and message in page
    assert LibraryTheme.objects.count() == 2


def test_a_coordinator_edits_a_theme(scene, coordinator, client_for):
    response = client_for(coordinator).post(
        theme_url("library_edit", scene.engagement),
        {"title": "Engagement with services", "description": "", "version": 1},
    )

    assert response.status_code == 302
    scene.engagement.refresh_from_db()
    assert (scene.engagement.title, scene.engagement.version) == ("Engagement with services", 2)


def test_the_edit_form_carries_the_version(scene, coordinator, client_for):
    page = client_for(coordinator).get(theme_url("library_edit", scene.engagement))

    assert 'name="version" value="1"' in page.content.decode()


def test_an_edit_after_someone_elses_is_refused_and_keeps_what_was_typed(
    scene, coordinator, client_for
):
    library_theme_update(theme=scene.engagement, by=coordinator, title="Their title", version=1)

    response = client_for(coordinator).post(
        theme_url("library_edit", scene.engagement),
        {"title": "My title", "description": "Mine", "version": 1},
    )

    page = text_of(response)
    assert response.status_code == 409
    assert "Someone else changed this theme after you opened it" in page
    assert "The theme as it is now Title Their title" in page
    assert 'value="My title"' in response.content.decode()
    assert 'name="version" value="2"' in response.content.decode()
    scene.engagement.refresh_from_db()
    assert scene.engagement.title == "Their title"


def test_a_merged_theme_cannot_be_edited(scene, coordinator, client_for):
    library_theme_merge(source=scene.engagement, target=scene.gps, by=coordinator, reason="Same")

    response = client_for(coordinator).post(
        theme_url("library_edit", scene.engagement), {"title": "Back", "version": 2}
    )

    assert response.status_code == 302
    assert messages_of(response) == [f"“Engagement” was merged into “{GPS}”"]


# --- Merging ---------------------------------------------------------------------------------


def test_merging_shows_what_will_happen_then_merges(scene, coordinator, client_for):
    client = client_for(coordinator)
    url = theme_url("library_merge", scene.gps)
    form = {"target": scene.engagement.pk, "reason": "The same finding"}

    check = client.post(url, form)

    assert check.status_code == 200
    assert "3 audit themes will move to “Engagement”" in text_of(check)
    assert not LibraryTheme.objects.filter(merged_into__isnull=False).exists()

    response = client.post(url, form | {"confirm": "yes"})

    assert response.status_code == 302
    assert response["Location"] == theme_url("library_theme", scene.engagement)
    assert messages_of(response) == [f"“{GPS}” merged into “Engagement”: 3 audit themes moved."]
    scene.gps.refresh_from_db()
    assert scene.gps.merged_into == scene.engagement
    assert scene.engagement.audit_themes.count() == 3


def test_the_merge_form_offers_the_other_themes_in_use(scene, partnership, coordinator, client_for):
    f.LibraryThemeFactory(partnership=partnership, title="Neglect")
    f.LibraryThemeFactory(partnership=f.PartnershipFactory(), title="Elsewhere")

    page = text_of(client_for(coordinator).get(theme_url("library_merge", scene.gps)))

    assert "The 3 audit themes linked to" in page
    assert "Merge it into Engagement Neglect Why merge them" in page
    assert "Elsewhere" not in page


def test_a_merge_without_a_reason_or_target_is_refused_naming_the_fields(
    scene, coordinator, client_for
):
    response = client_for(coordinator).post(theme_url("library_merge", scene.gps), {})

    page = text_of(response)
    assert response.status_code == 400
    assert "There is a problem Choose the theme to merge it into" in page
    assert "Give the reason for merging the themes" in page
    assert scene.gps.audit_themes.count() == 3


def test_a_theme_of_another_partnership_cannot_be_the_target(scene, coordinator, client_for):
    elsewhere = f.LibraryThemeFactory(partnership=f.PartnershipFactory(), title="Elsewhere")

    response = client_for(coordinator).post(
        theme_url("library_merge", scene.gps),
        {"target": elsewhere.pk, "reason": "Same", "confirm": "yes"},
    )

    assert response.status_code == 400
    assert "Choose one of the library's other themes in use" in text_of(response)
    scene.gps.refresh_from_db()
    assert scene.gps.merged_into is None


# --- The navigation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [("coordinator", True), ("board_member", True), ("police_auditor", False)],
)
def test_the_navigation_links_to_the_library(role, shown, request, audit, client_for):
    user = request.getfixturevalue(role)

    page = client_for(user).get(reverse("home")).content.decode()

    assert (f'href="{reverse("learning:library")}"' in page) is shown


def test_the_admin_cannot_merge_a_theme_by_typing(partnership, admin_user, client_for):
    """Only the library's merge moves audit themes and records why: the admin shows the
    merge fields but saves nothing typed into them."""
    theme = f.LibraryThemeFactory(partnership=partnership, title="Neglect")
    other = f.LibraryThemeFactory(partnership=partnership, title="Cumulative harm")
    url = reverse("admin:partnerships_librarytheme_change", args=[theme.pk])
    response = client_for(admin_user).post(
        url,
        {
            "partnership": partnership.pk,
            "title": "Neglect",
            "description": "",
            "merged_into": other.pk,
            "merged_at_0": "2026-01-01",
            "merged_at_1": "00:00:00",
            "version": 7,
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.merged_into_id, theme.merged_at) == (None, None)
