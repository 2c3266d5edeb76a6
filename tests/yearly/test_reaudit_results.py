"""The yearly report's re-audit results: each re-audit held in the period, as its published
edition compared it with the audit it looked at again (decisions 70 and 72)."""

import pytest

from maca.access import viewer_as
from maca.demo.story import demo_import
from maca.partnerships.models import Role
from maca.partnerships.services import membership_grant
from maca.yearly.figures import reaudit_results
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def reaudit():
    return demo_import("06-domestic-abuse-reaudit.json")


def _viewer(audit, role):
    user = f.UserFactory()
    membership_grant(user=user, partnership=audit.partnership, role=role)
    return viewer_as(user, audit.partnership)


def test_a_published_reaudit_is_said_in_one_sentence_from_its_edition(reaudit):
    edition = f.published_report(reaudit)
    comparison = edition.document["summary"]["comparison"]
    (everything,) = [row for row in comparison["grades"] if row["by"] == "all"]
    measured = [r["success"] for r in comparison["recommendations"] if r["success"]]
    met = sum(1 for success in measured if success["met"])

    (result,) = reaudit_results(_viewer(reaudit, Role.BOARD_MEMBER), [reaudit])

    assert result["earlier"] == reaudit.reaudit_of.title
    after, before = everything["after"], everything["before"]
    assert (
        f"{after['good_or_better']} of the {after['graded']} cases graded were good or better, "
        f"against {before['good_or_better']} of {before['graded']} before"
    ) in result["text"]
    assert len(measured) == 2 and met == 1  # the demo: one met, one not
    assert "1 of the 2 success measures was met" in result["text"]


def test_a_reaudit_not_yet_published_is_not_said(reaudit):
    assert reaudit_results(_viewer(reaudit, Role.COORDINATOR), [reaudit]) == []
