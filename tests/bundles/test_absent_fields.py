"""A bundle holds only what exists (decision 48): a field that can have no value may be left
out, absent means empty, and a present value is checked as before."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maca.audits.models import Audit, AuditReason, Request, RequestStatus
from maca.bundles.services import bundle_export, bundle_import
from maca.bundles.validation import BundleError, bundle_filled, schema, validate_bundle
from maca.profiles import CHOICES, ProfileField
from maca.returns.models import Return

from .samples import small_bundle

pytestmark = pytest.mark.django_db

AREAS = ["East", "North"]
AGENCIES = ["Children's Social Care", "Police", "Health Provider"]
GRADES = ["outstanding", "good", "requires_improvement", "inadequate", "not_scored"]
ANSWERS = {"text": None, "yes_no_partly": ["", "yes", "no", "partly"], "grade": ["", *GRADES]}


def minimal_bundle() -> dict:
    """The least a bundle can hold: one case whose only request was never answered."""
    return {
        "format": "maca-audit-bundle/1",
        "partnership": "Testshire Safeguarding Children Partnership",
        "areas": ["East"],
        "agencies": ["Police"],
        "audit": {"title": "An old audit", "theme": "Neglect", "status": "collecting"},
        "cases": [
            {
                "reference": "N-01",
                "area": "East",
                "involved_agencies": ["Police"],
                "returns": [{"agency": "Police", "status": "outstanding"}],
            }
        ],
    }


def test_a_minimal_bundle_is_valid_and_imports():
    audit = bundle_import(data=minimal_bundle())

    request = Request.objects.get(case__audit=audit)
    assert request.status == RequestStatus.OUTSTANDING
    own = Return.objects.get(request=request)
    assert (own.grade, own.answers, own.learning, own.immediate_action) == ("", {}, "", False)
    assert list(audit.questions.all()) == list(audit.themes.all()) == []


def test_a_bundle_with_no_cases_at_all_imports():
    bundle = minimal_bundle()
    del bundle["cases"]
    assert bundle_import(data=bundle).cases.count() == 0


def test_absent_is_read_as_empty():
    minimal = minimal_bundle()
    exported = bundle_export(bundle_import(data=minimal))
    filled = bundle_filled(minimal)
    assert exported["audit"] == filled["audit"]
    assert [exported[key] for key in ("questions", "themes", "recommendations")] == [[], [], []]
    # A case profile is written only when something is recorded (decision 69): left out, as
    # it was read.
    assert "profile" not in exported["cases"][0]
    assert set(filled["cases"][0].pop("profile").values()) == {""}
    assert exported["cases"][0] | {"returns": []} == filled["cases"][0] | {"returns": []}
    assert exported["cases"][0]["returns"][0] == {
        "agency": "Police",
        "status": "outstanding",
        "grade": None,
        "answers": {},
        "good_practice": "",
        "areas_for_development": "",
        "learning": "",
        "immediate_action": None,
    }


@pytest.mark.parametrize(
    "path",
    [
        ("format",),
        ("partnership",),
        ("areas",),
        ("agencies",),
        ("audit",),
        ("audit", "title"),
        ("audit", "theme"),
        ("audit", "status"),
        ("cases", 0, "reference"),
        ("cases", 0, "area"),
        ("cases", 0, "involved_agencies"),
        ("cases", 0, "returns", 0, "agency"),
        ("cases", 0, "returns", 0, "status"),
    ],
)
def test_a_field_that_always_has_a_value_is_still_required(path):
    bundle = minimal_bundle()
    parent = bundle
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]
    errors = validate_bundle(bundle)
    at = ".".join(str(p) for p in path[:-1]).replace(".0", "[0]")
    assert BundleError(at, f"{path[-1]!r} is a required property") in errors


def test_a_present_value_is_checked_as_before():
    bundle = minimal_bundle()
    bundle["cases"][0]["returns"][0] |= {"grade": "gud", "answers": {"q9": "yes"}}
    errors = validate_bundle(bundle)
    assert [e.path for e in errors] == ["cases[0].returns[0].grade"]
    bundle["cases"][0]["returns"][0]["grade"] = "not_scored"  # and so needs its reason
    assert [e.message for e in validate_bundle(bundle)] == ["'reason' is a required property"]
    bundle["cases"][0]["returns"][0]["reason"] = "Not involved in the period"
    assert validate_bundle(bundle) == [
        BundleError("cases[0].returns[0].answers.q9", "'q9' is not a question of this audit")
    ]


# Where the schema leaves a field out of `required`, absent means its `default`; these few
# have none because their absence says something other than "empty".
# ... or that there is none: `reaudit_of` is absent from an audit that is not a re-audit.
ABSENT_MEANS_NOT_KNOWN = {
    "ratification",
    "requests_sent_on",
    "submitted_on",
    "completed_on",
    "reaudit_of",
}


def _objects(node: dict):
    if "properties" in node:
        yield node
    for value in node.values():
        if isinstance(value, dict):
            yield from _objects(value)


def test_every_optional_field_of_the_schema_says_what_absent_means():
    for node in _objects(schema()):
        for key, field in node["properties"].items():
            if key in node.get("required", []) or key in ABSENT_MEANS_NOT_KNOWN:
                assert "default" not in field, key
            else:
                assert "default" in field, key


# Generated bundles: each field that can have no value is present or absent (all present in
# the maximal ones), every present value valid.

text = st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=20)
name = text.filter(str.strip)
dates = st.dates().map(lambda d: d.isoformat())


def _fields(draw, maximal: bool, required: dict, optional: dict) -> dict:
    if maximal:
        return draw(st.fixed_dictionaries(required | optional))
    return draw(st.fixed_dictionaries(required, optional=optional))


@st.composite
def bundles(draw, maximal: bool) -> dict:
    status = draw(st.sampled_from(["planning", "collecting", "moderation", "closed"]))
    sent_on = None
    if status != "planning" and (maximal or draw(st.booleans())):
        sent_on = draw(st.dates(max_value=datetime.date(2030, 1, 1)))
    audit = _fields(
        draw,
        maximal,
        {"title": name, "theme": name, "status": st.just(status)},
        {
            "rationale": text,
            "rationale_link": st.none() | st.just("https://example.org/review"),
            "reason": st.none() | st.sampled_from(AuditReason.values),
            "sample_plan": st.dictionaries(st.sampled_from(AREAS), st.integers(0, 9)),
            "returns_due": st.none() | dates,
            "meeting_date": st.none() | dates,
            "next_steps": text,
        },
    )
    if sent_on:
        audit["requests_sent_on"] = sent_on.isoformat()
    kinds = draw(st.lists(st.sampled_from(list(ANSWERS)), max_size=3))
    questions = [
        _fields(
            draw,
            maximal,
            {"key": st.just(f"q{i}"), "text": st.just(f"Question {i}?"), "kind": st.just(k)},
            # Only a question with answers to choose from can be a key measure.
            {"key_measure": st.just(False) if k == "text" else st.booleans()},
        )
        for i, k in enumerate(kinds)
    ]
    themes = [
        _fields(
            draw,
            maximal,
            {"title": st.just(f"Theme {i}")},
            {"description": text, "library_theme": st.none() | st.just(f"Library {i}")},
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    titles = [t["title"] for t in themes]
    bundle = {
        "format": "maca-audit-bundle/1",
        "partnership": "Testshire Safeguarding Children Partnership",
        "areas": AREAS,
        "agencies": AGENCIES,
        "audit": audit,
    }
    # Questions and themes that cases name are there; none at all may be left out.
    bundle |= {key: value for key, value in (("questions", questions), ("themes", themes)) if value}
    optional = {
        "questions": st.just([]),
        "themes": st.just([]),
        "profile_fields": st.lists(st.sampled_from(ProfileField.values), unique=True),
        "cases": st.lists(_case(questions, titles, maximal, sent_on), max_size=3).map(_numbered),
        "recommendations": st.lists(_recommendation(titles, maximal), max_size=2),
    }
    return _fields(draw, maximal, {}, optional) | bundle


def _numbered(cases: list[dict]) -> list[dict]:
    return [case | {"reference": f"C-{i:02d}"} for i, case in enumerate(cases)]


@st.composite
def _case(draw, questions, titles, maximal, sent_on) -> dict:
    involved = draw(st.lists(st.sampled_from(AGENCIES), min_size=1, unique=True))
    returning = draw(st.lists(st.sampled_from(involved), unique=True))
    optional = {
        "returns": st.just(
            [draw(_return(agency, questions, maximal, sent_on)) for agency in returning]
        ),
        "themes": st.lists(st.sampled_from(titles), unique=True) if titles else st.just([]),
        "good_practice": st.lists(name, max_size=2),
        "concerns": st.lists(name, max_size=2),
        "immediate_actions": st.lists(_action(maximal), max_size=2),
        # A case profile: any of its fields, each a value of its own or empty (decision 69).
        "profile": st.fixed_dictionaries(
            {},
            optional={
                field: st.sampled_from(["", *CHOICES[field].values]) for field in ProfileField
            },
        ),
    }
    if maximal or draw(st.booleans()):
        optional["ratification"] = st.just(draw(_ratification(maximal)))
    required = {"reference": st.just("C"), "area": st.sampled_from(AREAS)}
    return _fields(draw, maximal, required | {"involved_agencies": st.just(involved)}, optional)


@st.composite
def _ratification(draw, maximal) -> dict:
    ratification = {"grade": draw(st.sampled_from(GRADES))}
    if ratification["grade"] == "not_scored":
        ratification["reason"] = draw(name)  # required with this grade
    elif maximal or draw(st.booleans()):
        ratification["reason"] = draw(text)
    return ratification


@st.composite
def _return(draw, agency, questions, maximal, sent_on) -> dict:
    def present() -> bool:
        return maximal or draw(st.booleans())

    status = draw(st.sampled_from(["outstanding", "draft", "submitted", "returned"]))
    returned = {"agency": agency, "status": status}
    if status == "submitted" and sent_on and present():
        returned["submitted_on"] = (
            sent_on + datetime.timedelta(draw(st.integers(0, 60)))
        ).isoformat()
    if present():
        returned["grade"] = draw(st.none() | st.sampled_from(GRADES))
    if returned.get("grade") == "not_scored":
        returned["reason"] = draw(name)  # required with this grade
    elif present():
        returned["reason"] = draw(text)
    if present():
        returned["answers"] = {
            q["key"]: draw(
                text if ANSWERS[q["kind"]] is None else st.sampled_from(ANSWERS[q["kind"]])
            )
            for q in questions
            if present()
        }
    for key in ("good_practice", "areas_for_development", "learning"):
        if present():
            returned[key] = draw(text)
    if present():
        returned["immediate_action"] = draw(
            st.none() | st.fixed_dictionaries({"description": name})
        )
    return returned


@st.composite
def _action(draw, maximal) -> dict:
    status = draw(st.sampled_from(["open", "in_progress", "complete"]))
    action = {
        "agency": draw(st.sampled_from(AGENCIES)),
        "owner": draw(name),
        "description": draw(name),
        "due": draw(dates),
        "status": status,
    }
    if status == "complete" and (maximal or draw(st.booleans())):
        action["completed_on"] = draw(dates)
    return action


@st.composite
def _recommendation(draw, titles, maximal) -> dict:
    optional = {
        "themes": st.lists(st.sampled_from(titles), unique=True) if titles else st.just([]),
        "actions": st.lists(_action(maximal), max_size=2),
        # A success measure in words (one tied to a key question: tests/bundles/test_reaudits.py).
        "success_measure": name,
    }
    return _fields(draw, maximal, {"text": name}, optional)


def _round_trip(bundle: dict) -> None:
    """Within one example's own savepoint, undone after, so examples never meet."""
    with transaction.atomic():
        assert validate_bundle(bundle) == []
        first = bundle_export(bundle_import(data=bundle))
        assert validate_bundle(first) == []
        again = bundle_export(bundle_import(data=first, replace=True))
        assert again == first
        # Absent means empty: the bundle with its gaps filled in loads as the same audit.
        filled = bundle_export(bundle_import(data=bundle_filled(bundle), replace=True))
        assert filled == first
        transaction.set_rollback(True)
    assert not Audit.objects.exists()


EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXAMPLES
@given(bundles(maximal=False))
def test_any_bundle_with_fields_left_out_imports_and_round_trips(bundle):
    _round_trip(bundle)


@EXAMPLES
@given(bundles(maximal=True))
def test_any_bundle_with_every_field_present_imports_and_round_trips(bundle):
    _round_trip(bundle)


def test_the_small_sample_bundle_with_every_field_present_comes_back_as_written():
    bundle = small_bundle()
    assert bundle_export(bundle_import(data=bundle)) == bundle
