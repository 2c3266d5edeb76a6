"""Audit bundles in and out: docs/bundle-format.md, implemented as written."""

import datetime

from django.db import transaction
from django.utils import timezone

from maca.accounts.models import User
from maca.actions.models import Action, ActionStatus, Recommendation
from maca.audits.models import (
    Audit,
    AuditStatus,
    Case,
    Question,
    Request,
    RequestStatus,
    SamplePlanEntry,
)
from maca.history import tracking
from maca.meetings.models import AuditTheme, CasePoint, PointKind, Ratification, ThemeKind
from maca.meetings.rules import propose_grade
from maca.partnerships.models import Agency, Area, LibraryTheme, Partnership
from maca.partnerships.ordering import partnership_order
from maca.partnerships.selectors import library_theme_named
from maca.profiles import ProfileField, chosen
from maca.reports.models import ReportSection, SectionKey
from maca.returns.models import Return

from .validation import FORMAT, BundleError, InvalidBundle, bundle_filled, validate_bundle


class DuplicateAudit(InvalidBundle):
    pass


class AuditKept(InvalidBundle):
    """The audit of the bundle's title may not be replaced: it has a published edition, or it
    is on legal hold (decision 41). `why` says which, in a few words."""

    def __init__(self, errors: list[BundleError], *, why: str):
        super().__init__(errors)
        self.why = why


def _replaceable(audit: Audit) -> None:
    """Refuse to replace an audit with a published report or on legal hold, naming why."""
    which = f"{audit.partnership.name} already has audit {audit.pk}: {audit.title!r}"
    editions = audit.report_editions.count()
    if editions:
        why = f"its report has {editions} published edition{'s' if editions > 1 else ''}"
        message = (
            f"{which}, and {why}. A published edition is never replaced or deleted: import "
            "the bundle under another title."
        )
    elif audit.legal_hold:
        why = "it is on legal hold"
        message = f"{which}, and {why}: it is not replaced or deleted while the hold lasts."
    else:
        return
    raise AuditKept([BundleError("audit.title", message)], why=why)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


# A bundle's dates become moments in the local time zone: a request sent at the start of that
# day's work, a return submitted or an action completed at noon. Sent and submitted on the same
# day stay different moments: equal stamps mean "dates unknown" (`learning.facts`).
SENT_AT = datetime.time(9)
DONE_AT = datetime.time(12)


def _moment(value: str | None, at: datetime.time) -> datetime.datetime | None:
    if not value:
        return None
    return timezone.make_aware(datetime.datetime.combine(_day(value), at))


def _named(model: type[Area] | type[Agency], partnership: Partnership, names: list[str]) -> dict:
    """Reuse the partnership's rows with these names; create the missing ones at the end."""
    existing = {row.name: row for row in model.objects.filter(partnership=partnership)}
    next_position = max((row.position for row in existing.values()), default=-1) + 1
    for name in names:
        if name not in existing:
            existing[name] = model.objects.create(
                partnership=partnership, name=name, position=next_position
            )
            next_position += 1
    return existing


def library_theme_for(partnership: Partnership, title: str) -> LibraryTheme:
    """The partnership's library theme of this title, whatever its capitals, created when
    missing: one finding is followed across audits under one entry of the library. A title of
    a merged theme finds the theme it was merged into."""
    found = library_theme_named(partnership, title)
    return found or LibraryTheme.objects.create(partnership=partnership, title=title)


@transaction.atomic
def bundle_import(
    *,
    data: dict,
    by: User | None = None,
    replace: bool = False,
    via: str = "import",
    reason: str = "imported from an audit bundle",
) -> Audit:
    """Load one audit from a bundle, or nothing at all.

    The bundle is checked whole first, and a field it leaves out is read as empty (decision
    48); the partnership, areas, agencies and library themes it
    names are reused when they exist. An audit of the same title in the partnership is refused
    unless `replace`, which deletes it and loads the bundle in the same transaction; never an
    audit with a published edition of its report, nor one on legal hold (`AuditKept`).
    """
    errors = validate_bundle(data)
    if errors:
        raise InvalidBundle(errors)
    data = bundle_filled(data)  # absent means empty from here on
    with tracking.actor(by, via=via, reason=reason):
        partnership, _ = Partnership.objects.get_or_create(name=data["partnership"])
        _profile_fields_add(partnership, data)
        existing = Audit.objects.filter(partnership=partnership, title=data["audit"]["title"])
        if existing.exists():
            if not replace:
                audit = existing.get()
                raise DuplicateAudit(
                    [
                        BundleError(
                            "audit.title",
                            f"{partnership.name} already has audit {audit.pk}: {audit.title!r}. "
                            "Use --replace to replace it.",
                        )
                    ]
                )
            # Locked, so that a hold put on meanwhile is seen.
            replaced = existing.select_for_update().get()
            _replaceable(replaced)
            replaced.delete()
        return _load(data, partnership)


def _profile_fields_add(partnership: Partnership, data: dict) -> None:
    """The partnership records the case profile fields the bundle names besides its own: a
    field it records is never dropped by an import. The cases' values of other fields are
    kept, not shown, as a field no longer chosen keeps them."""
    wanted = [
        field.value for field in chosen({*partnership.profile_fields, *data["profile_fields"]})
    ]
    if wanted != partnership.profile_fields:
        partnership.profile_fields = wanted
        partnership.save(update_fields=["profile_fields"])


def _earlier_audit(partnership: Partnership, title: str, own_title: str) -> Audit:
    """The audit a re-audit's bundle names in `reaudit_of`, by its title in the partnership."""
    earlier = (
        Audit.objects.filter(partnership=partnership, title=title).exclude(title=own_title).first()
    )
    if earlier is None:
        raise InvalidBundle(
            [
                BundleError(
                    "audit.reaudit_of",
                    f"{partnership.name} has no other audit titled {title!r} to be a re-audit "
                    "of: import that audit first",
                )
            ]
        )
    return earlier


def _next_steps(audit: Audit) -> str:
    section = audit.report_sections.filter(key=SectionKey.NEXT_STEPS, custom=True).first()
    return section.text if section else ""


def _load(data: dict, partnership: Partnership) -> Audit:
    areas = _named(Area, partnership, data["areas"])
    agencies = _named(Agency, partnership, data["agencies"])
    spec = data["audit"]
    audit = Audit.objects.create(
        partnership=partnership,
        title=spec["title"],
        theme=spec["theme"],
        rationale=spec["rationale"],
        rationale_link=spec.get("rationale_link") or "",
        reason=spec.get("reason") or "",
        status=spec["status"],
        # A bundle does not say when its audit closed: retention runs from its import.
        closed_at=timezone.now() if spec["status"] == AuditStatus.CLOSED else None,
        returns_due=_date(spec.get("returns_due")),
        meeting_date=_date(spec.get("meeting_date")),
    )
    if spec.get("reaudit_of"):  # absent when it is not a re-audit
        audit.reaudit_of = _earlier_audit(partnership, spec["reaudit_of"], spec["title"])
        audit.save()
    if spec.get("next_steps"):
        # The next steps are the words of the report's last section.
        ReportSection.objects.create(
            partnership=partnership,
            audit=audit,
            key=SectionKey.NEXT_STEPS,
            custom=True,
            text=spec["next_steps"],
            version=1,
        )
    for area, count in spec["sample_plan"].items():
        SamplePlanEntry.objects.create(
            partnership=partnership, audit=audit, area=areas[area], cases=count
        )
    for position, question in enumerate(data["questions"]):
        Question.objects.create(
            partnership=partnership,
            audit=audit,
            key=question["key"],
            text=question["text"],
            kind=question["kind"],
            options=list(question.get("options", [])),
            scale_labels=dict(question.get("scale_labels", {})),
            allows_not_applicable=bool(question.get("allows_not_applicable", False)),
            guidance=question.get("guidance", ""),
            key_measure=bool(question.get("key_measure", False)),
            position=position,
        )
    themes = {}
    for position, theme in enumerate(data["themes"]):
        library = None
        if theme.get("library_theme"):
            library = library_theme_for(partnership, theme["library_theme"])
        themes[theme["title"]] = AuditTheme.objects.create(
            partnership=partnership,
            audit=audit,
            title=theme["title"],
            description=theme["description"],
            kind=theme.get("kind") or ThemeKind.CONCERN,
            library_theme=library,
            position=position,
        )
    # Without a send date, requests are stamped with the audit's own creation: the mark of a
    # date not known (export leaves it out), and returns submitted at that same instant.
    sent_at = None
    if audit.allows.show_to_members:  # its requests have gone out
        sent_at = _moment(spec.get("requests_sent_on"), SENT_AT) or audit.created_at
    for case_data in data["cases"]:
        _load_case(case_data, audit, areas, agencies, themes, sent_at)
    for position, rec in enumerate(data["recommendations"]):
        recommendation = Recommendation.objects.create(
            partnership=partnership,
            audit=audit,
            text=rec["text"],
            position=position,
            success_measure=rec["success_measure"],
            success_question=rec["success_question"] or "",
            success_options=list(rec["success_options"]),
            success_target=rec["success_target"],
        )
        recommendation.themes.set([themes[title] for title in rec["themes"]])
        for index, action in enumerate(rec["actions"]):
            _action(action, audit, agencies, position=index, recommendation=recommendation)
    return audit


def _load_case(
    data: dict,
    audit: Audit,
    areas: dict[str, Area],
    agencies: dict[str, Agency],
    themes: dict[str, AuditTheme],
    sent_at: datetime.datetime | None,
) -> Case:
    partnership = audit.partnership
    case = Case.objects.create(
        partnership=partnership,
        audit=audit,
        reference=data["reference"],
        area=areas[data["area"]],
        **{
            field: value for field, value in data["profile"].items() if field in ProfileField.values
        },
    )
    returns = {r["agency"]: r for r in data["returns"]}
    grades = []
    for name in data["involved_agencies"]:
        given = returns.get(name)
        request = Request.objects.create(
            partnership=partnership,
            audit=audit,
            case=case,
            agency=agencies[name],
            status=given["status"] if given else RequestStatus.OUTSTANDING,
            due=audit.returns_due,
            sent_at=sent_at,
        )
        if given is None:
            continue
        immediate = given.get("immediate_action") or {}
        Return.objects.create(
            partnership=partnership,
            request=request,
            answers=given["answers"],
            grade=given["grade"] or "",
            grade_reason=given.get("reason", ""),
            good_practice=given["good_practice"],
            areas_for_development=given["areas_for_development"],
            learning=given["learning"],
            immediate_action=bool(immediate),
            immediate_action_description=immediate.get("description", ""),
            submitted_at=(
                _moment(given.get("submitted_on"), DONE_AT) or sent_at
                if given["status"] == RequestStatus.SUBMITTED
                else None
            ),
        )
        if given["status"] == RequestStatus.SUBMITTED:
            grades.append(given["grade"])
    if data.get("ratification"):
        proposed = propose_grade(grades)
        Ratification.objects.create(
            partnership=partnership,
            case=case,
            grade=data["ratification"]["grade"],
            reason=data["ratification"].get("reason", ""),
            proposed_grade=proposed.value if proposed else "",
        )
        # A ratified case has its returns locked, as when the meeting ratifies it here.
        case.locked_at = timezone.now()
        case.save()
    for title in data.get("themes", []):
        themes[title].cases.add(case)
    for kind, key in ((PointKind.GOOD_PRACTICE, "good_practice"), (PointKind.CONCERN, "concerns")):
        for text in data.get(key, []):
            CasePoint.objects.create(partnership=partnership, case=case, kind=kind, text=text)
    for index, action in enumerate(data.get("immediate_actions", [])):
        _action(action, audit, agencies, position=index, case=case)
    return case


def _action(
    data: dict,
    audit: Audit,
    agencies: dict[str, Agency],
    *,
    position: int,
    recommendation: Recommendation | None = None,
    case: Case | None = None,
) -> Action:
    return Action.objects.create(
        partnership=audit.partnership,
        audit=audit,
        recommendation=recommendation,
        case=case,
        immediate=case is not None,
        agency=agencies[data["agency"]],
        owner=data["owner"],
        description=data["description"],
        due=_day(data["due"]),
        status=data["status"],
        completed_at=_moment(data.get("completed_on"), DONE_AT),
        position=position,
    )


def bundle_export(audit: Audit) -> dict:
    """The audit as a bundle: importing it into an empty database gives the same audit back."""
    partnership = audit.partnership
    cases = list(
        audit.cases.select_related("area", "ratification")
        .prefetch_related(
            "requests__agency",
            "requests__agency_return",
            "themes",
            "points",
            "immediate_actions__agency",
        )
        .order_by("pk")
    )
    themes = list(audit.themes.select_related("library_theme").order_by("position", "pk"))
    fields = partnership.profile_field_list()
    return {
        "format": FORMAT,
        "partnership": partnership.name,
        "areas": [a.name for a in partnership.areas.order_by(*partnership_order())],
        "agencies": [a.name for a in partnership.agencies.order_by(*partnership_order())],
        # The case profile fields the partnership records; absent when none (decision 69).
        **({"profile_fields": [field.value for field in fields]} if fields else {}),
        "audit": {
            "title": audit.title,
            "theme": audit.theme,
            "rationale": audit.rationale,
            "rationale_link": audit.rationale_link or None,
            "reason": audit.reason or None,
            "status": audit.status,
            "sample_plan": {
                entry.area.name: entry.cases for entry in audit.sample_plan.select_related("area")
            },
        }
        | _sent_on(audit, cases)
        | {
            "returns_due": _iso(audit.returns_due),
            "meeting_date": _iso(audit.meeting_date),
            "next_steps": _next_steps(audit),
        }
        | _reaudit_of(audit),
        "questions": [_question_out(q) for q in audit.questions.order_by("position", "pk")],
        "themes": [
            {
                "title": t.title,
                "description": t.description,
                "kind": t.kind,
                "library_theme": t.library_theme.title if t.library_theme else None,
            }
            for t in themes
        ],
        "cases": [_export_case(case, themes) for case in cases],
        "recommendations": [
            {
                "text": rec.text,
                "themes": [
                    t.title for t in sorted(rec.themes.all(), key=lambda t: (t.position, t.pk))
                ],
                "actions": [
                    _export_action(a)
                    for a in rec.actions.order_by("position", "pk").select_related("agency")
                ],
            }
            | _success_out(rec)
            for rec in audit.recommendations.prefetch_related("themes").order_by("position", "pk")
        ],
    }


def _reaudit_of(audit: Audit) -> dict:
    """`reaudit_of` only for a re-audit: an older reader's bundles stay as they were."""
    earlier = audit.reaudit_of
    return {"reaudit_of": earlier.title} if earlier is not None else {}


def _success_out(recommendation: Recommendation) -> dict:
    """A recommendation's success measure, only the fields that say something."""
    out: dict[str, object] = {}
    if recommendation.success_measure:
        out["success_measure"] = recommendation.success_measure
    if recommendation.success_question:
        out["success_question"] = recommendation.success_question
        out["success_options"] = list(recommendation.success_options)
        out["success_target"] = recommendation.success_target
    return out


def _question_out(question: Question) -> dict:
    """A question as the bundle writes it: its optional fields only when they say something."""
    out: dict[str, object] = {"key": question.key, "text": question.text, "kind": question.kind}
    if question.options:
        out["options"] = list(question.options)
    if question.scale_labels:
        out["scale_labels"] = dict(question.scale_labels)
    if question.allows_not_applicable:
        out["allows_not_applicable"] = True
    if question.guidance:
        out["guidance"] = question.guidance
    if question.key_measure:
        out["key_measure"] = True
    return out


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _local_iso(moment: datetime.datetime) -> str:
    return timezone.localdate(moment).isoformat()


def _sent_on(audit: Audit, cases: list[Case]) -> dict:
    """The day the first request was sent, unless the requests carry the import's stamp."""
    sent = [r.sent_at for case in cases for r in case.requests.all() if r.sent_at is not None]
    if not sent or min(sent) == audit.created_at:
        return {}
    return {"requests_sent_on": _local_iso(min(sent))}


def _export_case(case: Case, themes: list[AuditTheme]) -> dict:
    requests = sorted(case.requests.all(), key=lambda r: r.pk)
    exported: dict[str, object] = {
        "reference": case.reference,
        "area": case.area.name,
        "involved_agencies": [r.agency.name for r in requests],
        "returns": [_export_return(r) for r in requests if hasattr(r, "agency_return")],
    }
    # Every field with a value, chosen or not (a bundle moves the whole audit); absent when none.
    if profile := {field: value for field, value in case.profile().items() if value}:
        exported["profile"] = profile
    if hasattr(case, "ratification"):
        exported["ratification"] = {
            "grade": case.ratification.grade,
            "reason": case.ratification.reason,
        }
    case_theme_ids = {t.pk for t in case.themes.all()}
    points = sorted(case.points.all(), key=lambda p: p.pk)
    exported |= {
        "themes": [t.title for t in themes if t.pk in case_theme_ids],
        "good_practice": [p.text for p in points if p.kind == PointKind.GOOD_PRACTICE],
        "concerns": [p.text for p in points if p.kind == PointKind.CONCERN],
        "immediate_actions": [
            _export_action(a)
            for a in sorted(case.immediate_actions.all(), key=lambda a: (a.position, a.pk))
        ],
    }
    return exported


def _export_return(request: Request) -> dict:
    own = request.agency_return
    exported: dict[str, object] = {"agency": request.agency.name, "status": request.status}
    if (
        request.status == RequestStatus.SUBMITTED
        and own.submitted_at is not None
        and own.submitted_at != request.sent_at  # the same stamp: the date is not known
    ):
        exported["submitted_on"] = _local_iso(own.submitted_at)
    exported["grade"] = own.grade or None
    if own.grade_reason:
        exported["reason"] = own.grade_reason
    return exported | {
        "answers": own.answers,
        "good_practice": own.good_practice,
        "areas_for_development": own.areas_for_development,
        "learning": own.learning,
        "immediate_action": (
            {"description": own.immediate_action_description} if own.immediate_action else None
        ),
    }


def _export_action(action: Action) -> dict:
    exported = {
        "agency": action.agency.name,
        "owner": action.owner,
        "description": action.description,
        "due": action.due.isoformat(),
        "status": action.status,
    }
    if action.status == ActionStatus.COMPLETE and action.completed_at is not None:
        exported["completed_on"] = _local_iso(action.completed_at)
    return exported
