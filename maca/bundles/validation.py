"""Checks a bundle completely before anything is written: the JSON Schema first, then the
cross-references the schema cannot express. Every problem is named by its path."""

import copy
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from maca.actions.models import ActionStatus
from maca.audits.answers import (
    NOT_APPLICABLE,
    answer_options,
    answer_problem,
    countable,
    options_problem,
)
from maca.audits.models import AuditStatus, Question, QuestionKind, RequestStatus, YesNoPartly
from maca.grades import Grade
from maca.links import link_problem
from maca.uploads.limits import BUNDLE_MAX_PROBLEMS
from maca.uploads.problems import shown

SCHEMA_PATH = Path(__file__).with_name("bundle.schema.json")
FORMAT = "maca-audit-bundle/1"


def question_of(spec: dict) -> Question:
    """A bundle's question as the model holds it (unsaved), its optional fields empty when
    absent: what `maca.audits.answers` checks an answer against."""
    return Question(
        key=spec["key"],
        text=spec["text"],
        kind=spec["kind"],
        options=list(spec.get("options", [])),
        scale_labels=dict(spec.get("scale_labels", {})),
        allows_not_applicable=bool(spec.get("allows_not_applicable", False)),
        guidance=spec.get("guidance", ""),
        key_measure=bool(spec.get("key_measure", False)),
    )


@dataclass(frozen=True, order=True)
class BundleError:
    path: str
    message: str

    def __post_init__(self):
        # A message quotes the value it refuses: a text of megabytes is named, not repeated.
        object.__setattr__(self, "message", shown(self.message, 300))

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InvalidBundle(Exception):
    def __init__(self, errors: list[BundleError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def format_path(parts) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


# The links a bundle holds (shown as links on the audit's page and in its report): their form
# is named in words by `_link_errors`, so the schema's own complaints about it are left out.
LINKS = [("audit", "rationale_link")]
LINK_FORM = {"format", "pattern", "maxLength"}

STOPPED = f"The bundle has more than {BUNDLE_MAX_PROBLEMS:,} problems: maca stopped checking there"


def _schema_errors(data) -> list[BundleError]:
    """The schema's complaints; checking stops at `BUNDLE_MAX_PROBLEMS` (each costs jsonschema
    more than a value it accepts), and then the first problem listed says so."""
    validator = Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = []
    for error in islice(validator.iter_errors(data), BUNDLE_MAX_PROBLEMS + 1):
        # For "one of these shapes" failures, name the closest shape's own complaint.
        if error.context:
            error = best_match(error.context)
        if tuple(error.absolute_path) in LINKS and error.validator in LINK_FORM:
            continue
        message = error.message
        if error.validator == "maxLength":
            # jsonschema's own message quotes the whole text back.
            message = (
                f"is {len(error.instance):,} characters long; at most "
                f"{error.validator_value:,} are allowed"
            )
        errors.append(BundleError(format_path(error.absolute_path), message))
    if len(errors) > BUNDLE_MAX_PROBLEMS:
        errors[-1] = BundleError("", STOPPED)  # its path sorts it first
    return sorted(set(errors))


def _link_errors(data) -> list[BundleError]:
    """Each link that is not a web address (http or https), by its path."""
    errors = []
    for parts in LINKS:
        value = data
        for part in parts:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str) and (problem := link_problem(value)):
            errors.append(BundleError(format_path(parts), problem))
    return errors


def validate_bundle(data) -> list[BundleError]:
    """Every problem with a bundle, or an empty list."""
    errors = sorted(set(_schema_errors(data) + _unstorable_text(data) + _link_errors(data)))
    if errors:
        return errors
    return _reference_errors(bundle_filled(data))


def bundle_filled(data: dict) -> dict:
    """A copy of a valid bundle with every absent field holding its schema's `default`.

    A bundle holds only what exists (decision 48): a field that can have no value may be left
    out, and absent means empty (an empty text, list or object, or null). The schema says which
    fields those are and what empty is for each, so that what is read after checking, here and
    by the import, finds every field present.
    """
    filled = copy.deepcopy(data)
    _fill(filled, schema())
    return filled


def _resolved(node: dict) -> dict:
    """The schema node behind a `$ref` to `#/$defs/…` (the only references the schema makes)."""
    while "$ref" in node and "properties" not in node and "items" not in node:
        node = schema()["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def _fill(value, node: dict) -> None:
    node = _resolved(node)
    if isinstance(value, dict) and "properties" in node:
        for key, field in node["properties"].items():
            if key not in value and "default" in field:
                value[key] = copy.deepcopy(field["default"])
            if key in value:
                _fill(value[key], field)
    elif isinstance(value, list) and "items" in node:
        for item in value:
            _fill(item, node["items"])


# What a database cannot keep: NUL (PostgreSQL refuses it) and unpaired surrogates (not UTF-8).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
CANNOT_STORE = "contains a NUL character or an unpaired surrogate, which cannot be stored"


def _unstorable_text(data, parts: tuple = ()) -> list[BundleError]:
    """Every text (or key) holding a character no database column can keep, by its path."""
    if isinstance(data, str):
        found = UNSTORABLE.search(data)
        return [BundleError(format_path(parts), CANNOT_STORE)] if found else []
    items: Iterable[tuple[object, object]]
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return []
    errors = []
    for key, value in items:
        if isinstance(key, str) and UNSTORABLE.search(key):
            errors.append(BundleError(format_path(parts), f"the key {key!r} {CANNOT_STORE}"))
        errors += _unstorable_text(value, (*parts, key))
    return errors


def _duplicates(values) -> set:
    seen: set[object] = set()
    repeated: set[object] = set()
    for value in values:
        (repeated if value in seen else seen).add(value)
    return repeated


def _reference_errors(data: dict) -> list[BundleError]:
    errors: list[BundleError] = []

    def error(path, message):
        errors.append(BundleError(path, message))

    areas, agencies = data["areas"], data["agencies"]
    for name in ("areas", "agencies"):
        for value in sorted(_duplicates(data[name])):
            error(name, f"{value!r} is declared twice")
    questions = {q["key"]: question_of(q) for q in data["questions"]}
    for key in sorted(_duplicates(q["key"] for q in data["questions"])):
        error("questions", f"question key {key!r} is used twice")
    for i, question in enumerate(data["questions"]):
        if question["kind"] == QuestionKind.CHOICE:
            if problem := options_problem(question.get("options", [])):
                error(f"questions[{i}].options", problem)
        elif question.get("options"):
            error(f"questions[{i}].options", "only a question of kind 'choice' has options")
        if question.get("scale_labels") and question["kind"] != QuestionKind.SCALE:
            error(
                f"questions[{i}].scale_labels", "only a question of kind 'scale' has scale labels"
            )
        if question.get("key_measure") and not countable(question_of(question)):
            error(
                f"questions[{i}].key_measure",
                "only a question with answers to choose from can be a key measure, "
                f"not one of kind {question['kind']!r}",
            )
    themes = [t["title"] for t in data["themes"]]
    for title in sorted(_duplicates(themes)):
        error("themes", f"theme {title!r} is declared twice")
    for area in data["audit"]["sample_plan"]:
        if area not in areas:
            error(f"audit.sample_plan.{area}", f"area {area!r} is not declared in areas")
    sent_on = data["audit"].get("requests_sent_on")
    if sent_on and data["audit"]["status"] == AuditStatus.PLANNING:
        error("audit.requests_sent_on", "an audit in planning has sent no requests")

    for title in sorted(_duplicates(c["reference"] for c in data["cases"])):
        error("cases", f"case reference {title!r} is used twice")
    for i, case in enumerate(data["cases"]):
        at = f"cases[{i}]"
        if case["area"] not in areas:
            error(f"{at}.area", f"area {case['area']!r} is not declared in areas")
        for j, agency in enumerate(case["involved_agencies"]):
            if agency not in agencies:
                error(
                    f"{at}.involved_agencies[{j}]", f"agency {agency!r} is not declared in agencies"
                )
        for agency in sorted(_duplicates(r["agency"] for r in case["returns"])):
            error(f"{at}.returns", f"agency {agency!r} has more than one return")
        for j, return_ in enumerate(case["returns"]):
            _check_return(error, f"{at}.returns[{j}]", return_, case, questions, sent_on)
        for j, title in enumerate(case.get("themes", [])):
            if title not in themes:
                error(f"{at}.themes[{j}]", f"theme {title!r} is not declared in themes")
        for j, action in enumerate(case.get("immediate_actions", [])):
            if action["agency"] not in agencies:
                error(
                    f"{at}.immediate_actions[{j}].agency",
                    f"agency {action['agency']!r} is not declared in agencies",
                )
            _check_action_dates(error, f"{at}.immediate_actions[{j}]", action)

    for i, recommendation in enumerate(data["recommendations"]):
        at = f"recommendations[{i}]"
        _check_success(error, at, recommendation, data["questions"])
        for j, title in enumerate(recommendation["themes"]):
            if title not in themes:
                error(f"{at}.themes[{j}]", f"theme {title!r} is not declared in themes")
        for j, action in enumerate(recommendation["actions"]):
            if action["agency"] not in agencies:
                error(
                    f"{at}.actions[{j}].agency",
                    f"agency {action['agency']!r} is not declared in agencies",
                )
            _check_action_dates(error, f"{at}.actions[{j}]", action)
    return errors


def _check_success(error, at: str, recommendation: dict, questions: list[dict]) -> None:
    """A success measure checked by a re-audit names a key question of the tool, answers it
    offers, a target, and says it in words (as `maca.actions.services.success_checked`)."""
    key = recommendation["success_question"]
    options, target = recommendation["success_options"], recommendation["success_target"]
    if key is None:
        if options or target is not None:
            error(f"{at}.success_question", "success_options and success_target need a question")
        return
    spec = next((q for q in questions if q["key"] == key), None)
    if spec is None or not spec.get("key_measure"):
        error(f"{at}.success_question", f"{key!r} is not the key of a key-measure question")
        return
    offered = [value for value, _ in answer_options(question_of(spec))]
    if not options:
        error(f"{at}.success_options", "name the answers that count as success")
    for j, option in enumerate(options):
        if option not in offered:
            error(f"{at}.success_options[{j}]", f"{option!r} is not an answer {key!r} offers")
    if target is None:
        error(f"{at}.success_target", "a success measure tied to a question needs a target")
    if not recommendation["success_measure"].strip():
        error(f"{at}.success_measure", "say the success measure in words")


def _check_action_dates(error, at: str, action: dict) -> None:
    if "completed_on" in action and action["status"] != ActionStatus.COMPLETE:
        error(f"{at}.completed_on", "only a complete action has a completion date")


def _check_return(
    error, at: str, return_: dict, case: dict, questions: dict, sent_on: str | None
) -> None:
    if return_["agency"] not in case["involved_agencies"]:
        error(f"{at}.agency", f"agency {return_['agency']!r} is not involved in this case")
    submitted_on = return_.get("submitted_on")
    if submitted_on and return_["status"] != RequestStatus.SUBMITTED:
        error(f"{at}.submitted_on", "only a submitted return has a submission date")
    elif submitted_on and sent_on and submitted_on < sent_on:
        # ISO dates compare as text; the schema has checked they are dates.
        error(
            f"{at}.submitted_on",
            f"{submitted_on} is before the requests were sent (audit.requests_sent_on: {sent_on})",
        )
    for key, answer in return_["answers"].items():
        question = questions.get(key)
        if question is None:
            error(f"{at}.answers.{key}", f"{key!r} is not a question of this audit")
        elif not answer or (answer == NOT_APPLICABLE and question.allows_not_applicable):
            continue
        elif question.kind == QuestionKind.YES_NO_PARTLY and answer not in YesNoPartly.values:
            error(f"{at}.answers.{key}", f"{answer!r} is not one of {YesNoPartly.values}")
        elif question.kind == QuestionKind.GRADE:
            # Any grade's value, "not scored" too, as bundles have always taken.
            if answer not in Grade.values:
                error(f"{at}.answers.{key}", f"{answer!r} is not one of {Grade.values}")
        elif problem := answer_problem(question, answer):
            error(f"{at}.answers.{key}", f"{answer!r}: {problem}")
