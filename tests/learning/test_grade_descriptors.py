"""What each grade means, in the partnership's words: defaults until a coordinator writes its
own on the settings page beside the dashboard; every change in the history; coordinators only."""

import pytest
from django.urls import reverse

from maca.errors import DomainError
from maca.grades import DEFAULT_DESCRIPTORS, Grade
from maca.history.models import ChangeRecord
from maca.partnerships.models import Partnership
from maca.partnerships.services import grade_descriptors_set
from tests.pages import text_of

URL = reverse("learning:grade_descriptors")


def _changes(partnership):
    return ChangeRecord.objects.filter(
        object_type="partnerships.partnership", object_id=str(partnership.pk)
    )


def test_the_defaults_until_the_partnership_writes_its_own(partnership):
    assert partnership.grade_descriptor_list() == [
        (grade, DEFAULT_DESCRIPTORS[grade]) for grade in Grade.scale()
    ]


def test_the_coordinator_edits_them_and_the_history_keeps_the_change(
    partnership, coordinator, client_for
):
    client = client_for(coordinator)
    page = text_of(client.get(URL))
    assert "What good means" in page and DEFAULT_DESCRIPTORS[Grade.GOOD] in page
    before = _changes(partnership).count()

    response = client.post(
        URL,
        {
            "outstanding": DEFAULT_DESCRIPTORS[Grade.OUTSTANDING],
            "good": "  Our words: the child was safer and better off.  ",
            "requires_improvement": "",
            "inadequate": DEFAULT_DESCRIPTORS[Grade.INADEQUATE],
        },
    )

    assert response.status_code == 302
    partnership.refresh_from_db()
    # Only what differs from the default is stored; an empty box reads the default again.
    assert partnership.grade_descriptors == {
        "good": "Our words: the child was safer and better off."
    }
    assert (
        dict(partnership.grade_descriptor_list())[Grade.REQUIRES_IMPROVEMENT]
        == (DEFAULT_DESCRIPTORS[Grade.REQUIRES_IMPROVEMENT])
    )
    change = _changes(partnership).order_by("-id").first()
    assert _changes(partnership).count() == before + 1
    assert change.after["grade_descriptors"] == partnership.grade_descriptors
    assert "Our words: the child was safer" in text_of(client.get(URL))


def test_saving_the_same_words_again_records_nothing(partnership, coordinator):
    grade_descriptors_set(partnership=partnership, by=coordinator, descriptors={"good": "Ours"})
    before = _changes(partnership).count()

    grade_descriptors_set(partnership=partnership, by=coordinator, descriptors={"good": "Ours"})

    assert _changes(partnership).count() == before


def test_too_long_is_refused_naming_the_grade(partnership, coordinator, client_for):
    with pytest.raises(DomainError) as refused:
        grade_descriptors_set(
            partnership=partnership, by=coordinator, descriptors={"inadequate": "x" * 1001}
        )
    assert refused.value.field == "inadequate"

    response = client_for(coordinator).post(URL, {"good": "x" * 1001})
    assert response.status_code == 400
    assert "What good means must be 1,000 characters or fewer" in text_of(response)
    assert Partnership.objects.get(pk=partnership.pk).grade_descriptors == {}


def test_only_coordinators_edit_them(partnership, police_auditor, board_member, client_for):
    for user in (police_auditor, board_member):
        client = client_for(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"good": "Changed"}).status_code == 403
    assert Partnership.objects.get(pk=partnership.pk).grade_descriptors == {}


def test_the_dashboard_links_to_them(partnership, coordinator, client_for):
    page = client_for(coordinator).get(reverse("learning:dashboard")).content.decode()
    assert f'href="{URL}"' in page
