"""The audit's themes: the register, adding, editing and deleting a theme, tagging cases."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from maca import access
from maca.audits.models import AuditStatus
from maca.errors import DomainError
from maca.history.models import ChangeRecord
from maca.meetings import themes
from maca.meetings.models import AuditTheme, ThemeKind
from maca.partnerships.models import LibraryTheme
from maca.reports.summary import report_summary
from tests import factories as f
from tests.pages import text_of

GPS = "Information sharing with GPs"  # the `audit` fixture's theme


def url(name, audit, *args):
    return reverse(f"audits:{name}", args=[audit.pk, *args])


def records_for(theme):
    return ChangeRecord.objects.filter(
        object_type="meetings.audittheme", object_id=str(theme.pk)
    ).order_by("id")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def meeting(audit):
    """The `audit` fixture, now at its meeting: its themes are open."""
    audit.status = AuditStatus.MODERATION
    audit.save()
    return audit


@pytest.fixture
def case(meeting):
    return meeting.cases.get(reference="T-E-01")


@pytest.fixture
def gps(meeting):
    return meeting.themes.get(title=GPS)


@pytest.fixture
def client(coordinator, client_for):
    return client_for(coordinator)


@pytest.fixture
def earlier_audit(partnership):
    """An audit held a year ago that found weak information sharing with GPs."""
    earlier = f.AuditFactory(
        partnership=partnership,
        title="Children in Need",
        status=AuditStatus.CLOSED,
        meeting_date=datetime.date.today() - datetime.timedelta(days=365),
    )
    library = f.LibraryThemeFactory(partnership=partnership, title="Information sharing")
    f.AuditThemeFactory(audit=earlier, title="GPs not told", library_theme=library)
    return earlier


# --- Services -------------------------------------------------------------------------------


def test_coordinator_adds_a_theme_without_a_library_theme(meeting, coordinator):
    theme = themes.theme_create(
        audit=meeting, by=coordinator, title="  Engagement ", description="Missed appointments"
    )
    theme.refresh_from_db()
    assert (theme.title, theme.description, theme.library_theme) == (
        "Engagement",
        "Missed appointments",
        None,
    )
    assert theme.partnership_id == meeting.partnership_id
    assert list(meeting.themes.values_list("title", flat=True)) == [GPS, "Engagement"]
    (created,) = records_for(theme)
    assert created.action == "create" and created.user == coordinator


def test_a_theme_links_to_a_theme_of_the_partnerships_library(meeting, coordinator):
    library = f.LibraryThemeFactory(partnership=meeting.partnership, title="Engagement")
    theme = themes.theme_create(
        audit=meeting, by=coordinator, title="Families not engaging", library_theme=library
    )
    assert AuditTheme.objects.get(pk=theme.pk).library_theme == library


def test_a_new_library_theme_is_created_once_and_then_reused(meeting, coordinator):
    first = themes.theme_create(
        audit=meeting, by=coordinator, title="Engagement", new_library_title="Engagement"
    )
    second = themes.theme_create(
        audit=meeting, by=coordinator, title="Did not attend", new_library_title="engagement"
    )
    assert first.library_theme == second.library_theme
    assert LibraryTheme.objects.filter(partnership=meeting.partnership).count() == 1


def test_a_library_theme_and_a_new_one_together_are_refused(meeting, coordinator):
    library = f.LibraryThemeFactory(partnership=meeting.partnership, title="Engagement")
    with pytest.raises(DomainError) as refused:
        themes.theme_create(
            audit=meeting,
            by=coordinator,
            title="Engagement",
            library_theme=library,
            new_library_title="Engagement again",
        )
    assert refused.value.field == "new_library_title"


def test_a_duplicate_title_is_refused_naming_the_field(meeting, coordinator):
    with pytest.raises(DomainError) as refused:
        themes.theme_create(audit=meeting, by=coordinator, title=GPS.upper())
    assert refused.value.field == "title"
    assert refused.value.message == "The audit already has a theme with this title"
    assert meeting.themes.count() == 1


def test_a_title_is_needed(meeting, coordinator):
    with pytest.raises(DomainError) as refused:
        themes.theme_create(audit=meeting, by=coordinator, title="   ")
    assert refused.value.field == "title"


def test_another_partnerships_library_theme_is_refused(meeting, coordinator, other_partnership):
    theirs = f.LibraryThemeFactory(partnership=other_partnership, title="Engagement")
    with pytest.raises(DomainError) as refused:
        themes.theme_create(audit=meeting, by=coordinator, title="Engagement", library_theme=theirs)
    assert refused.value.field == "library_theme"


def test_a_theme_is_changed(gps, coordinator):
    library = f.LibraryThemeFactory(partnership=gps.partnership, title="Information sharing")
    themes.theme_update(
        theme=gps,
        by=coordinator,
        title="GPs not told of the plan",
        description="Seen in most cases",
        library_theme=library,
    )
    gps.refresh_from_db()
    assert (gps.title, gps.description, gps.library_theme) == (
        "GPs not told of the plan",
        "Seen in most cases",
        library,
    )


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (AuditStatus.COLLECTING, themes.THEMES_NOT_YET),
        (AuditStatus.MONITORING, themes.THEMES_CLOSED),
        (AuditStatus.CLOSED, themes.THEMES_CLOSED),
    ],
)
def test_themes_change_only_in_moderation_and_reporting(
    status, reason, meeting, gps, case, coordinator
):
    meeting.status = status
    meeting.save()
    gps.audit.refresh_from_db()
    case.audit.refresh_from_db()
    attempts = [
        lambda: themes.theme_create(audit=meeting, by=coordinator, title="Engagement"),
        lambda: themes.theme_update(theme=gps, by=coordinator, title="GPs"),
        lambda: themes.theme_delete(theme=gps, by=coordinator),
        lambda: themes.case_theme_tag(case=case, theme=gps, by=coordinator),
        lambda: themes.case_theme_untag(case=case, theme=gps, by=coordinator),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.message == reason
    assert list(meeting.themes.values_list("title", flat=True)) == [GPS]


def test_tagging_and_untagging_a_case_are_recorded(case, gps, coordinator):
    themes.case_theme_tag(case=case, theme=gps, by=coordinator)
    themes.case_theme_tag(case=case, theme=gps, by=coordinator)  # again: nothing changes
    assert list(case.themes.all()) == [gps]
    themes.case_theme_untag(case=case, theme=gps, by=coordinator)
    assert list(case.themes.all()) == []

    tagged, untagged = records_for(gps).filter(action="update")
    assert tagged.before == {"cases": []} and tagged.after == {"cases": [case.pk]}
    assert untagged.before == {"cases": [case.pk]} and untagged.after == {"cases": []}
    assert {tagged.user, untagged.user} == {coordinator}
    assert tagged.audit_id == case.audit_id and tagged.via == "web"


def test_a_theme_of_another_audit_cannot_tag_a_case(case, partnership, coordinator):
    elsewhere = f.AuditThemeFactory(audit=f.AuditFactory(partnership=partnership))
    with pytest.raises(DomainError) as refused:
        themes.case_theme_tag(case=case, theme=elsewhere, by=coordinator)
    assert refused.value.field == "theme"
    assert not elsewhere.cases.exists()


def test_a_case_is_tagged_with_a_theme_named_on_the_spot(case, gps, coordinator):
    new = themes.case_theme_create_and_tag(case=case, by=coordinator, title="Engagement")
    # The audit's theme of that title, whatever the capitals, rather than a refusal.
    same = themes.case_theme_create_and_tag(case=case, by=coordinator, title=GPS.lower())
    assert same == gps
    assert set(case.themes.all()) == {gps, new}
    assert new.audit == case.audit and new.position > gps.position


def test_deleting_a_theme_keeps_which_cases_evidenced_it(case, gps, coordinator):
    themes.case_theme_tag(case=case, theme=gps, by=coordinator)
    pk = gps.pk
    themes.theme_delete(theme=gps, by=coordinator)
    assert not AuditTheme.objects.filter(pk=pk).exists()
    gps.pk = pk
    *_, untagged, deleted = records_for(gps)
    assert untagged.before == {"cases": [case.pk]} and untagged.after == {"cases": []}
    assert deleted.action == "delete" and deleted.user == coordinator


def test_a_theme_answered_by_a_recommendation_is_not_deleted(meeting, gps, coordinator):
    recommendation = f.RecommendationFactory(audit=meeting)
    recommendation.themes.add(gps)
    with pytest.raises(DomainError) as refused:
        themes.theme_delete(theme=gps, by=coordinator)
    assert "answered by 1 recommendation" in refused.value.message
    assert AuditTheme.objects.filter(pk=gps.pk).exists()


def test_a_library_link_makes_the_report_name_the_earlier_audit(
    meeting, coordinator, earlier_audit
):
    library = LibraryTheme.objects.get(title="Information sharing")
    themes.theme_create(audit=meeting, by=coordinator, title="Engagement")
    themes.theme_create(
        audit=meeting, by=coordinator, title="Schools not told", library_theme=library
    )
    by_title = {t["title"]: t for t in report_summary(meeting)["themes"]}
    assert by_title["Schools not told"]["recurring_in"] == ["Children in Need"]
    assert by_title["Engagement"]["recurring_in"] == []


def test_the_register_counts_the_cases_and_names_earlier_audits(
    meeting, gps, case, coordinator, earlier_audit
):
    themes.theme_update(
        theme=gps,
        by=coordinator,
        title=GPS,
        library_theme=LibraryTheme.objects.get(title="Information sharing"),
    )
    themes.case_theme_tag(case=case, theme=gps, by=coordinator)
    (row,) = themes.themes_register(access.viewer_as(coordinator), meeting)
    assert row.theme == gps and [c.reference for c in row.cases] == ["T-E-01"]
    assert row.count == 1 and row.evidence == "1 of the 2 cases"
    assert row.library_theme.title == "Information sharing"
    assert row.recurring_in == ["Children in Need"]


# --- The register's page --------------------------------------------------------------------


def test_the_register_shows_4_of_the_15_cases(meeting, gps, coordinator, client, areas):
    more = [
        f.CaseFactory(audit=meeting, area=areas["Central"], reference=f"T-C-{n:02d}")
        for n in range(1, 14)
    ]
    for evidence in [meeting.cases.get(reference="T-E-01"), *more[:3]]:
        themes.case_theme_tag(case=evidence, theme=gps, by=coordinator)

    page = text_of(client.get(url("themes", meeting)))

    cases = "4 of the 15 cases T-C-01 T-C-02 T-C-03 T-E-01 None"
    assert f"{GPS} An area for improvement {cases}" in page
    assert "Library theme" in page and "Add a theme" in page


def test_the_register_says_where_a_theme_was_also_found(
    meeting, coordinator, client, earlier_audit
):
    library = LibraryTheme.objects.get(title="Information sharing")
    themes.theme_create(audit=meeting, by=coordinator, title="Schools", library_theme=library)
    page = text_of(client.get(url("themes", meeting)))
    found = "0 of the 2 cases Information sharing Also found in Children in Need"
    assert f"Schools An area for improvement {found}" in page


def test_coordinator_adds_a_theme_on_the_page(meeting, client):
    library = f.LibraryThemeFactory(partnership=meeting.partnership, title="Engagement")
    response = client.post(
        url("themes", meeting),
        {"title": "Families not engaging", "description": "", "library_theme": library.pk},
    )
    assert response.status_code == 302 and response["Location"] == url("themes", meeting)
    assert messages_of(response) == ["Theme added: Families not engaging"]
    assert meeting.themes.get(title="Families not engaging").library_theme == library


def test_a_duplicate_title_is_shown_on_its_field(meeting, client):
    response = client.post(url("themes", meeting), {"title": GPS})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title": ["The audit already has a theme with this title"]
    }
    assert 'href="#id_title">The audit already has a theme with this title' in (
        response.content.decode()
    )


def test_the_register_of_a_collecting_audit_has_no_add_form(audit, client):
    response = client.get(url("themes", audit))
    assert response.status_code == 200
    assert themes.THEMES_NOT_YET in text_of(response) and "Add a theme" not in text_of(response)
    response = client.post(url("themes", audit), {"title": "Engagement"})
    assert response.status_code == 302 and messages_of(response) == [themes.THEMES_NOT_YET]
    assert audit.themes.count() == 1


def test_coordinator_edits_a_theme(meeting, gps, client):
    assert client.get(url("theme_edit", meeting, gps.pk)).status_code == 200
    response = client.post(
        url("theme_edit", meeting, gps.pk),
        {"title": "GPs not told", "new_library_title": "Information sharing"},
    )
    assert response.status_code == 302
    gps.refresh_from_db()
    assert gps.title == "GPs not told" and gps.library_theme.title == "Information sharing"


def test_coordinator_marks_a_theme_as_a_strength_and_the_register_says_so(meeting, gps, client):
    page = client.get(url("theme_edit", meeting, gps.pk)).content.decode()
    assert 'type="radio" value="concern" checked' in page  # every theme starts as a concern

    response = client.post(url("theme_edit", meeting, gps.pk), {"title": GPS, "kind": "strength"})

    assert response.status_code == 302
    gps.refresh_from_db()
    assert gps.kind == ThemeKind.STRENGTH
    assert f"{GPS} A strength" in text_of(client.get(url("themes", meeting)))
    changed = records_for(gps).last()
    assert (changed.before["kind"], changed.after["kind"]) == ("concern", "strength")


def test_a_kind_that_is_neither_is_refused_on_its_field(meeting, client):
    response = client.post(url("themes", meeting), {"title": "Engagement", "kind": "weakness"})
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not meeting.themes.filter(title="Engagement").exists()


def test_a_theme_added_without_a_kind_is_an_area_for_improvement(meeting, coordinator):
    theme = themes.theme_create(audit=meeting, by=coordinator, title="Engagement")
    assert theme.kind == ThemeKind.CONCERN
    with pytest.raises(DomainError) as refused:
        themes.theme_update(theme=theme, by=coordinator, title="Engagement", kind="weakness")
    assert refused.value.field == "kind"


def test_coordinator_deletes_a_theme(meeting, gps, client):
    response = client.post(url("theme_delete", meeting, gps.pk))
    assert response.status_code == 302 and messages_of(response) == [f"Theme deleted: {GPS}"]
    assert not meeting.themes.exists()


def test_detail_page_links_to_the_themes_from_the_meeting_on(audit, client):
    assert url("themes", audit) not in client.get(url("detail", audit)).content.decode()
    audit.status = AuditStatus.MODERATION
    audit.save()
    assert url("themes", audit) in client.get(url("detail", audit)).content.decode()


# --- Tagging a case from its page -----------------------------------------------------------


def test_coordinator_tags_a_case_and_goes_back_to_its_page(meeting, case, gps, client):
    back = f"/audits/{meeting.pk}/meeting/cases/{case.pk}/?tab=themes"
    response = client.post(url("case_theme_tag", meeting, case.pk), {"theme": gps.pk, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert messages_of(response) == [f"Case T-E-01 tagged with the theme: {GPS}"]
    assert list(case.themes.all()) == [gps]


def test_coordinator_tags_a_case_with_a_new_theme(meeting, case, client):
    response = client.post(url("case_theme_tag", meeting, case.pk), {"title": "Engagement"})
    assert response["Location"] == url("themes", meeting)
    assert [t.title for t in case.themes.all()] == ["Engagement"]


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "theme_id",
    ["²", "1²", "99999999999999999999", "gps", "-1", "arabic-indic"],
    ids=["superscript", "digit-superscript", "too-large", "letters", "negative", "arabic-indic"],
)
def test_tagging_with_a_theme_id_that_is_not_one_is_not_found(meeting, case, gps, client, theme_id):
    # "²" passes str.isdigit() and fails int(); "٣" passes both and names another number.
    if theme_id == "arabic-indic":
        theme_id = str(gps.pk).translate(ARABIC_INDIC)
    response = client.post(url("case_theme_tag", meeting, case.pk), {"theme": theme_id})
    assert response.status_code == 404
    assert not case.themes.exists()


def test_tagging_with_nothing_chosen_says_so(meeting, case, client):
    response = client.post(url("case_theme_tag", meeting, case.pk), {"theme": "", "title": " "})
    assert response.status_code == 302
    assert messages_of(response) == ["Choose a theme, or enter the title of a new one"]


def test_coordinator_removes_a_theme_from_a_case(meeting, case, gps, coordinator, client):
    themes.case_theme_tag(case=case, theme=gps, by=coordinator)
    response = client.post(url("case_theme_untag", meeting, case.pk, gps.pk))
    assert response.status_code == 302
    assert messages_of(response) == [f"Theme removed from case T-E-01: {GPS}"]
    assert not case.themes.exists()
    assert records_for(gps).last().user == coordinator


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "/\\evil.example/steal",
        "javascript:alert(1)",
        "audits/1/",
    ],
)
def test_an_off_site_next_is_ignored(next_url, meeting, case, gps, client):
    response = client.post(
        url("case_theme_tag", meeting, case.pk), {"theme": gps.pk, "next": next_url}
    )
    assert response["Location"] == url("themes", meeting)


def test_another_partnerships_theme_cannot_tag_our_case(meeting, case, other_audit, client):
    theirs = other_audit.themes.get()
    response = client.post(url("case_theme_tag", meeting, case.pk), {"theme": theirs.pk})
    assert response.status_code == 404
    response = client.post(url("case_theme_untag", meeting, case.pk, theirs.pk))
    assert response.status_code == 404
    assert not theirs.cases.exists() and not case.themes.exists()


def test_a_case_of_another_audit_cannot_be_tagged(meeting, gps, other_audit, client):
    theirs = other_audit.cases.get()
    response = client.post(url("case_theme_tag", meeting, theirs.pk), {"theme": gps.pk})
    assert response.status_code == 404
    assert not gps.cases.exists()


def test_another_partnerships_coordinator_gets_not_found(
    meeting, case, gps, other_partnership_coordinator, client_for
):
    client = client_for(other_partnership_coordinator)
    assert client.get(url("themes", meeting)).status_code == 404
    response = client.post(url("case_theme_tag", meeting, case.pk), {"theme": gps.pk})
    assert response.status_code == 404
    assert not gps.cases.exists()


def test_police_auditor_is_refused(meeting, case, gps, police_auditor, client_for):
    client = client_for(police_auditor)
    assert client.get(url("themes", meeting)).status_code == 403
    response = client.post(url("case_theme_tag", meeting, case.pk), {"theme": gps.pk})
    assert response.status_code == 403
    assert client.post(url("themes", meeting), {"title": "Engagement"}).status_code == 403
    assert not gps.cases.exists() and meeting.themes.count() == 1


# --- The case's theme controls (meetings/_case_themes.html) ---------------------------------


def _render_case_themes(user, audit, case, path="/meeting/case/"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.viewer = access.viewer_as(user)
    html = render_to_string(
        "meetings/_case_themes.html", {"audit": audit, "case": case}, request=request
    )
    return html


def test_the_case_controls_offer_remove_tag_and_new(meeting, case, gps, coordinator):
    other = themes.theme_create(audit=meeting, by=coordinator, title="Engagement")
    themes.case_theme_tag(case=case, theme=gps, by=coordinator)

    html = _render_case_themes(coordinator, meeting, case, path="/meeting/case/?x=1")

    assert f'action="{url("case_theme_untag", meeting, case.pk, gps.pk)}"' in html
    assert f'<option value="{other.pk}">Engagement</option>' in html
    assert f'<option value="{gps.pk}">' not in html  # already tagged
    assert 'name="title"' in html
    assert html.count('name="next" value="/meeting/case/?x=1"') == 3
    assert html.count('name="csrfmiddlewaretoken"') == 3


def test_the_case_controls_are_read_only_for_an_agency_user(meeting, case, gps, police_auditor):
    gps.cases.add(case)
    html = _render_case_themes(police_auditor, meeting, case)
    assert GPS in html and "<form" not in html


def test_the_case_controls_are_read_only_before_the_meeting(audit, coordinator):
    case = audit.cases.get(reference="T-E-01")
    html = _render_case_themes(coordinator, audit, case)
    assert "No themes yet." in html and "<form" not in html
