"""The theme library's services: adding, changing and merging themes, and the rest of the code
following merges (bundles, the audit's themes)."""

import pytest

from maca.bundles.services import bundle_import
from maca.errors import DomainError
from maca.history.models import ChangeRecord
from maca.learning.library import (
    LibraryThemeConflict,
    library_theme_add,
    library_theme_merge,
    library_theme_update,
)
from maca.meetings import themes
from maca.meetings.forms_themes import ThemeForm
from maca.meetings.models import AuditTheme
from maca.partnerships.models import LibraryTheme
from maca.partnerships.selectors import library_theme_named
from tests import factories as f
from tests.bundles.samples import small_bundle

from .library_scene import GPS, library_scene


@pytest.fixture
def scene(partnership, areas, audit):
    return library_scene(partnership, areas, audit)


def records_for(obj):
    return ChangeRecord.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("id")


def merged(source, target, by, reason="The same finding under two names"):
    library_theme_merge(source=source, target=target, by=by, reason=reason)
    source.refresh_from_db()
    return source


# --- Adding ------------------------------------------------------------------------------


def test_it_adds_a_theme_and_records_who(partnership, coordinator):
    theme = library_theme_add(
        partnership=partnership, by=coordinator, title="  Neglect  ", description=" Chronic "
    )

    assert (theme.title, theme.description, theme.version) == ("Neglect", "Chronic", 1)
    (record,) = records_for(theme)
    assert (record.action, record.user, record.via) == ("create", coordinator, "web")


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "Enter the theme's title"), ("x" * 201, "200 characters or fewer")],
)
def test_a_missing_or_long_title_is_refused(partnership, coordinator, title, message):
    with pytest.raises(DomainError) as refused:
        library_theme_add(partnership=partnership, by=coordinator, title=title)

    assert refused.value.field == "title" and message in refused.value.message
    assert not LibraryTheme.objects.exists()


def test_a_title_taken_whatever_its_capitals_is_refused(scene, partnership, coordinator):
    with pytest.raises(DomainError) as refused:
        library_theme_add(partnership=partnership, by=coordinator, title="engagement")

    assert refused.value.field == "title"
    assert "already has a theme called “Engagement”" in refused.value.message
    assert partnership.library_themes.count() == 2


def test_another_partnership_may_use_the_same_title(scene, other_partnership, coordinator):
    theme = library_theme_add(partnership=other_partnership, by=coordinator, title="Engagement")

    assert theme.partnership == other_partnership


def test_a_merged_themes_title_is_refused_naming_the_theme_it_went_into(
    scene, partnership, coordinator
):
    merged(scene.engagement, scene.gps, coordinator)

    with pytest.raises(DomainError) as refused:
        library_theme_add(partnership=partnership, by=coordinator, title="ENGAGEMENT")

    assert refused.value.field == "title"
    assert "“Engagement” was merged into “Information sharing with GPs”" in refused.value.message


# --- Changing -----------------------------------------------------------------------------


def test_it_changes_a_theme_and_bumps_its_version(scene, coordinator):
    theme = library_theme_update(
        theme=scene.engagement,
        by=coordinator,
        title="Engagement with services",
        description="Families who do not engage",
        version=1,
    )

    theme.refresh_from_db()
    assert (theme.title, theme.description, theme.version) == (
        "Engagement with services",
        "Families who do not engage",
        2,
    )
    assert records_for(theme).last().before["title"] == "Engagement"


def test_a_stale_version_is_refused_and_nothing_is_overwritten(scene, coordinator):
    mine = LibraryTheme.objects.get(pk=scene.engagement.pk)
    theirs = LibraryTheme.objects.get(pk=scene.engagement.pk)
    library_theme_update(theme=theirs, by=coordinator, title="Their title", version=1)

    with pytest.raises(LibraryThemeConflict) as refused:
        library_theme_update(theme=mine, by=coordinator, title="My title", version=1)

    assert "Someone else changed this theme" in refused.value.message
    assert refused.value.current.title == "Their title"
    mine.refresh_from_db()
    assert (mine.title, mine.version) == ("Their title", 2)


def test_changing_a_title_to_one_taken_is_refused(scene, coordinator):
    with pytest.raises(DomainError) as refused:
        library_theme_update(theme=scene.engagement, by=coordinator, title=GPS.upper(), version=1)

    assert refused.value.field == "title"
    scene.engagement.refresh_from_db()
    assert scene.engagement.title == "Engagement"


def test_a_theme_may_change_the_capitals_of_its_own_title(scene, coordinator):
    theme = library_theme_update(
        theme=scene.engagement, by=coordinator, title="ENGAGEMENT", version=1
    )

    assert theme.title == "ENGAGEMENT"


def test_a_merged_theme_cannot_be_changed(scene, coordinator):
    source = merged(scene.engagement, scene.gps, coordinator)

    with pytest.raises(DomainError) as refused:
        library_theme_update(theme=source, by=coordinator, title="Back", version=source.version)

    assert "was merged into “Information sharing with GPs”" in refused.value.message
    source.refresh_from_db()
    assert source.title == "Engagement"


# --- Merging ------------------------------------------------------------------------------


def test_merging_moves_every_audit_theme_and_keeps_the_source(scene, coordinator):
    source = merged(scene.gps, scene.engagement, coordinator)

    assert set(scene.engagement.audit_themes.values_list("title", flat=True)) == {
        "GP information sharing",
        "Sharing with GPs",
        "Information sharing with GPs",
    }
    assert not source.audit_themes.exists()
    assert source.merged_into == scene.engagement and source.merged_at is not None
    assert source.live() == scene.engagement
    assert LibraryTheme.objects.live().get() == scene.engagement


def test_merging_is_in_the_history_with_its_reason(scene, coordinator):
    merged(scene.gps, scene.engagement, coordinator, reason="Duplicates after the 2024 audit")

    for audit_theme in (scene.neglect, scene.transitions):
        record = records_for(audit_theme).last()
        assert record.action == "update"
        assert record.before["library_theme_id"] == scene.gps.pk
        assert record.after["library_theme_id"] == scene.engagement.pk
        assert (record.reason, record.user, record.via) == (
            "Duplicates after the 2024 audit",
            coordinator,
            "web",
        )
        assert record.audit_id == audit_theme.audit_id
    record = records_for(scene.gps).last()
    assert record.after["merged_into_id"] == scene.engagement.pk
    assert record.reason == "Duplicates after the 2024 audit"


def test_themes_merged_before_follow_the_source_to_its_target(scene, partnership, coordinator):
    older = f.LibraryThemeFactory(partnership=partnership, title="GP liaison")
    merged(older, scene.gps, coordinator)

    merged(scene.gps, scene.engagement, coordinator)

    older.refresh_from_db()
    assert older.merged_into == scene.engagement
    assert set(scene.engagement.merged.all()) == {older, scene.gps}


@pytest.mark.parametrize(
    ("case", "message", "field"),
    [
        ("same", "Choose another theme", "target"),
        ("no_reason", "Give the reason", "reason"),
        ("other_partnership", "partnership's library", "target"),
        ("source_merged", "was merged into", None),
        ("target_merged", "choose a theme in use", "target"),
    ],
)
def test_merging_is_refused_and_changes_nothing(
    scene, partnership, other_partnership, coordinator, case, message, field
):
    source, target, reason = scene.gps, scene.engagement, "Same finding"
    spare = f.LibraryThemeFactory(partnership=partnership, title="Spare")
    if case == "same":
        target = source
    elif case == "no_reason":
        reason = "   "
    elif case == "other_partnership":
        target = f.LibraryThemeFactory(partnership=other_partnership, title="Engagement")
    elif case == "source_merged":
        source = merged(spare, target, coordinator)
    elif case == "target_merged":
        target = merged(spare, scene.engagement, coordinator)
    before = ChangeRecord.objects.count()
    links = dict(AuditTheme.objects.values_list("pk", "library_theme_id"))

    with pytest.raises(DomainError) as refused:
        library_theme_merge(source=source, target=target, by=coordinator, reason=reason)

    assert message in refused.value.message and refused.value.field == field
    assert ChangeRecord.objects.count() == before
    assert dict(AuditTheme.objects.values_list("pk", "library_theme_id")) == links


# --- The rest of the code follows merges -----------------------------------------------------


def test_a_merged_title_finds_the_live_theme(scene, partnership, coordinator):
    merged(scene.engagement, scene.gps, coordinator)

    assert library_theme_named(partnership, " engagement ") == scene.gps
    assert library_theme_named(partnership, "Nothing like it") is None


def test_a_bundle_naming_a_merged_theme_links_to_the_live_one(coordinator):
    first = bundle_import(data=small_bundle())
    partnership = first.partnership
    old = partnership.library_themes.get(title="Information sharing")
    live = f.LibraryThemeFactory(partnership=partnership, title="Information sharing with GPs")
    merged(old, live, coordinator)

    second = bundle_import(data=small_bundle(title="A second audit"))

    theme = second.themes.get(title="Information sharing")
    assert theme.library_theme == live
    assert partnership.library_themes.count() == 2


def test_a_new_library_title_naming_a_merged_theme_links_to_the_live_one(scene, audit, coordinator):
    merged(scene.engagement, scene.gps, coordinator)
    audit.status = "moderation"
    audit.save()

    theme = themes.theme_create(
        audit=audit, by=coordinator, title="Hard to reach", new_library_title="ENGAGEMENT"
    )

    assert theme.library_theme == scene.gps


def test_a_new_library_theme_made_from_an_audit_theme_records_who(audit, coordinator):
    audit.status = "moderation"
    audit.save()

    theme = themes.theme_create(
        audit=audit, by=coordinator, title="Hard to reach", new_library_title="Hard to reach"
    )

    assert records_for(theme.library_theme).get().user == coordinator


def test_the_audit_themes_form_offers_only_themes_in_use(scene, partnership, coordinator):
    merged(scene.engagement, scene.gps, coordinator)

    form = ThemeForm(partnership=partnership)

    assert list(form.fields["library_theme"].queryset) == [scene.gps]
