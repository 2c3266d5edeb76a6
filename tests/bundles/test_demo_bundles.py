"""The demo bundles: valid, faithful to the seed reports' figures, and round-trip exactly."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings

from maca.bundles.services import bundle_export, bundle_import
from maca.bundles.validation import validate_bundle
from maca.demo.story import demo_earlier
from maca.reports.summary import report_summary

BUNDLES = sorted((Path(settings.BASE_DIR) / "demo" / "bundles").glob("*.json"))

# What the two seed reports say, and what the collecting audit must show.
SEED_GRADES = {
    "01-children-in-need.json": {
        "outstanding": 0,
        "good": 3,
        "requires_improvement": 9,
        "inadequate": 3,
        "not_scored": 0,
    },
    "02-transitions.json": {
        "outstanding": 0,
        "good": 4,
        "requires_improvement": 6,
        "inadequate": 1,
        "not_scored": 4,
    },
    "03-neglect.json": {
        "outstanding": 0,
        "good": 0,
        "requires_improvement": 0,
        "inadequate": 0,
        "not_scored": 0,
    },
}
# The audit being planned: its tool and sample plan, no cases yet (demo/candidates.csv is
# there to draw them from).
PLANNING = "04-missing-education.json"
# The audit in monitoring: its report approved and published, its actions being followed.
# Its actions' due dates are fixed, so its figures are counted on a fixed day.
MONITORING = "05-domestic-abuse.json"
MONITORING_GRADES = {
    "outstanding": 0,
    "good": 1,
    "requires_improvement": 5,
    "inadequate": 2,
    "not_scored": 1,
}
MONITORING_DAY = datetime.date(2026, 11, 23)
# The re-audit of the audit in monitoring, in reporting: its report compares the two.
REAUDIT = "06-domestic-abuse-reaudit.json"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_the_seed_audits_the_collecting_one_and_one_being_planned():
    assert [p.name for p in BUNDLES] == sorted([*SEED_GRADES, PLANNING, MONITORING, REAUDIT])


@pytest.mark.parametrize("path", BUNDLES, ids=lambda p: p.name)
def test_each_demo_bundle_is_valid(path):
    assert validate_bundle(load(path)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", [p for p in BUNDLES if p.name in SEED_GRADES], ids=lambda p: p.name
)
def test_each_demo_audit_reports_the_seed_figures(path):
    summary = report_summary(bundle_import(data=load(path)))
    assert summary["cases"] == 15
    assert summary["cases_by_area"] == {"East": 5, "North": 5, "Central": 5}
    assert summary["grades"] == SEED_GRADES[path.name]


@pytest.mark.django_db
def test_the_transitions_audit_finds_special_guardianship_in_4_of_15_cases_and_recurring_themes():
    for path in BUNDLES[:2]:
        bundle_import(data=load(path))
    from maca.audits.models import Audit

    summary = report_summary(Audit.objects.get(title__startswith="Transitions"))
    themes = {t["title"]: t for t in summary["themes"]}
    sgo = next(t for title, t in themes.items() if "guardianship" in title.lower())
    assert sgo["cases"] == 4
    sharing = next(t for title, t in themes.items() if "information sharing" in title.lower())
    assert sharing["recurring_in"] == ["Children in Need and Prevention & Early Help"]


@pytest.mark.django_db
def test_the_monitoring_audit_reports_its_figures_and_links_its_themes_to_earlier_audits():
    for path in BUNDLES:
        bundle_import(data=load(path))
    from maca.audits.models import Audit

    audit = Audit.objects.get(title="Children living with domestic abuse")
    summary = report_summary(audit, today=MONITORING_DAY)

    assert summary["audit"]["status"] == "monitoring"
    assert summary["cases"] == summary["ratified"] == 9
    assert summary["cases_by_area"] == {"East": 3, "North": 3, "Central": 3}
    assert summary["grades"] == MONITORING_GRADES
    assert summary["returns"] == {"requested": 36, "submitted": 36}
    # Every inadequate case has its immediate action; two of the seven actions are overdue.
    assert summary["immediate_actions"] == {"total": 2, "open": 1}
    assert summary["actions"] == {"total": 7, "open": 6, "overdue": 2}
    themes = {t["title"]: t for t in summary["themes"]}
    sharing = next(t for title, t in themes.items() if "information sharing" in title.lower())
    assert sharing["recurring_in"] == [
        "Children in Need and Prevention & Early Help",
        "Transitions from children's to adults' services",
    ]
    voice = next(t for title, t in themes.items() if "voice" in title.lower())
    assert voice["recurring_in"] == ["Transitions from children's to adults' services"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", BUNDLES, ids=lambda p: p.name)
def test_each_demo_bundle_round_trips_exactly(path):
    for earlier in demo_earlier(path.name):  # a re-audit's earlier audit is there first
        bundle_import(data=load(path.with_name(earlier)))
    original = load(path)
    assert bundle_export(bundle_import(data=original)) == original


@pytest.mark.django_db
def test_the_reaudit_compares_itself_with_the_audit_in_monitoring():
    for path in BUNDLES:
        bundle_import(data=load(path))
    from maca.audits.models import Audit

    reaudit = Audit.objects.get(title="Children living with domestic abuse: re-audit")
    comparison = report_summary(reaudit)["comparison"]

    assert reaudit.reaudit_of.title == "Children living with domestic abuse"
    assert comparison["grades"][0] == {
        "group": "All cases",
        "by": "all",
        "before": {"graded": 8, "good_or_better": 1},
        "after": {"graded": 9, "good_or_better": 4},
    }
    seen_alone = next(m for m in comparison["key_measures"] if m["key"] == "seen_alone")
    assert seen_alone["before"]["counts"]["Yes"] == 9
    assert seen_alone["after"]["counts"]["Yes"] == 26
    met = [r["success"]["met"] for r in comparison["recommendations"] if r["success"]]
    assert met == [True, False]  # information shared promptly: met; seen alone: not yet
    assert [t["title"] for t in comparison["themes"]["new"]] == [
        "Help for children after the incident"
    ]


@pytest.mark.django_db
def test_the_planning_audit_can_be_sampled_from_the_demo_candidates(django_user_model):
    from maca.audits.sampling import candidates_upload, sample_draw

    audit = bundle_import(data=load(Path(settings.BASE_DIR) / "demo" / "bundles" / PLANNING))
    coordinator = django_user_model.objects.create(email="c@example.org")
    csv = (Path(settings.BASE_DIR) / "demo" / "candidates.csv").read_bytes()

    candidates_upload(audit=audit, by=coordinator, file_bytes=csv)
    cases = sample_draw(audit=audit, by=coordinator, seed=2027)

    assert audit.status == "planning" and audit.questions.count() == 3
    assert len(cases) == 15
