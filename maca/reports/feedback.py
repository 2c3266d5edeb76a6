"""Each agency's feedback pack: what the audit found about one agency's work, for that agency.

One builder, `feedback_document`, reads everything for the viewer it is made for (through
maca.access) and returns a plain dict; the PDF (`feedback_files.feedback_pdf`) and the Word file
(`feedback_files.feedback_docx`) are both drawn from that dict, so they say the same things.

What is in it, for the agency named:
- its cases' grades: its own (from its submitted return) beside the meeting's ratified grade;
- the practice points: the meeting's good practice and concerns recorded on the cases it was
  involved in, and its own returns' good practice and areas for development;
- its actions: the audit's recommendations' actions and immediate actions it owns, with their
  status and due date (never the named owner: the pack names no one);
- the partnership-wide themes, as the published edition states them;
- a practitioner feedback note per case, one page each, to pass to the worker.

Only case references (pseudonymous) identify a case; nothing else about a child, and no
person's name. Another agency's returns and actions never appear; the meeting's points do,
for the cases the agency shares, as the case summaries already show them to it.
"""

from django.utils import timezone

from maca import access
from maca.actions.models import Action
from maca.audits.models import Audit, RequestStatus
from maca.errors import DomainError
from maca.grades import Grade
from maca.meetings.models import CasePoint, PointKind, Ratification
from maca.partnerships.models import Agency
from maca.returns.models import Return

from .document import OFFICIAL_SENSITIVE, long_date
from .models import ReportEdition, SectionKey

NO_RETURN = "No return submitted"
NOT_RATIFIED = "Not ratified"
GRADE_HEADERS = ["Case", "Your agency's grade", "The meeting's grade"]
ACTION_HEADERS = ["Action", "From", "Status", "Due"]


def feedback_document(
    viewer: access.Viewer, audit: Audit, agency: Agency, edition: ReportEdition
) -> dict:
    """The feedback pack of `agency` on a published `edition` of the audit's report, as
    `viewer` may read it (who must be that agency's, or a coordinator)."""
    if not access.may_read_agency_feedback(viewer, agency):
        raise DomainError("Only the agency's own people and the coordinators can have this made")
    cases = list(
        access.cases_for(viewer, audit)
        .filter(requests__agency=agency)
        .select_related("area")
        .order_by("reference")
    )
    case_ids = [case.pk for case in cases]
    returns = {
        ret.request.case_id: ret
        for ret in access.returns_for(viewer, audit)
        .filter(request__agency=agency, request__status=RequestStatus.SUBMITTED)
        .select_related("request")
    }
    ratified = {r.case_id: r for r in Ratification.objects.filter(case_id__in=case_ids)}
    points: dict[int, list[CasePoint]] = {}
    for point in CasePoint.objects.filter(case_id__in=case_ids).order_by("case", "id"):
        points.setdefault(point.case_id, []).append(point)
    actions = list(
        access.actions_for(viewer)
        .filter(audit=audit, agency=agency)
        .select_related("case", "recommendation")
        .order_by("-immediate", "due", "position", "id")
    )
    notes = [
        _note(case, returns.get(case.pk), ratified.get(case.pk), points.get(case.pk, []), actions)
        for case in cases
    ]
    return {
        "meta": {
            "partnership": audit.partnership.name,
            "audit_id": audit.pk,
            "title": audit.title,
            "agency": agency.name,
            "agency_id": agency.pk,
            "edition": edition.number,
            "published_on": long_date(timezone.localdate(edition.published_at)),
            "marking": OFFICIAL_SENSITIVE,
        },
        "grades": {
            "headers": GRADE_HEADERS,
            "rows": [[note["reference"], note["own"], note["ratified"]] for note in notes],
        },
        "agreement": _agreement(notes),
        "good_practice": _practice(notes, PointKind.GOOD_PRACTICE, "good_practice"),
        "concerns": _practice(notes, PointKind.CONCERN, "areas_for_development"),
        "actions": {
            "headers": ACTION_HEADERS,
            "rows": [_action_row(action) for action in actions],
        },
        "themes": themes_of(edition.document),
        "notes": notes,
    }


def _grade(value: str) -> str:
    return str(Grade(value).label) if value in Grade.values else ""


def _note(case, ret: Return | None, ratification, points: list[CasePoint], actions) -> dict:
    """What the meeting said about the agency's work on one case."""
    ratified = _grade(ratification.grade) if ratification else ""
    return {
        "reference": case.reference,
        "area": case.area.name,
        "own": (_grade(ret.grade) if ret else "") or NO_RETURN,
        "ratified": ratified or NOT_RATIFIED,
        "agreed": bool(ret and ratification and ret.grade == ratification.grade),
        # Why the meeting chose a grade other than the one proposed, or why not scored.
        "reason": ratification.reason.strip() if ratification else "",
        "points": [
            {"kind": str(PointKind(p.kind).label), "key": p.kind, "text": p.text.strip()}
            for p in points
            if p.text.strip()
        ],
        "good_practice": ret.good_practice.strip() if ret else "",
        "areas_for_development": ret.areas_for_development.strip() if ret else "",
        "actions": [
            _action_item(action)
            for action in actions
            if action.immediate and action.case_id == case.pk
        ],
    }


def _agreement(notes: list[dict]) -> str:
    both = [n for n in notes if n["own"] != NO_RETURN and n["ratified"] != NOT_RATIFIED]
    agreed = sum(n["agreed"] for n in both)
    total = len(notes)
    if not total:
        return "Your agency was asked about no case in this audit."
    return (
        f"Your agency was involved in {total} {'case' if total == 1 else 'cases'} of this audit. "
        f"The meeting's grade was the same as your agency's own in {agreed} of the "
        f"{len(both)} {'case' if len(both) == 1 else 'cases'} with both."
    )


def _practice(notes: list[dict], kind: str, return_field: str) -> list[dict]:
    """The meeting's points of one kind, then the agency's own returns' words, per case."""
    items = []
    for note in notes:
        for point in note["points"]:
            if point["key"] == kind:
                items.append({"reference": note["reference"], "by": "The meeting", **point})
        if note[return_field]:
            items.append(
                {
                    "reference": note["reference"],
                    "by": "Your agency's return",
                    "text": note[return_field],
                }
            )
    return items


def _status(action: Action) -> str:
    return str(action.get_status_display())


def _action_item(action: Action) -> dict:
    return {
        "description": action.description.strip(),
        "status": _status(action),
        "due": long_date(action.due),
    }


def _action_row(action: Action) -> list[str]:
    case = action.case
    origin = f"Immediate action, case {case.reference}" if case is not None else "Recommendation"
    return [action.description.strip(), origin, _status(action), long_date(action.due)]


def themes_of(document: dict) -> list[dict]:
    """The partnership-wide themes as a published edition states them (its themes section's
    numbered items): the words that passed the identifier check."""
    return [
        {"title": item["title"], "text": item.get("text", "")}
        for section in document["sections"]
        if section["key"] == SectionKey.THEMES
        for block in section["blocks"]
        if block["kind"] == "numbered"
        for item in block["items"]
    ]


def feedback_text(document: dict) -> list[str]:
    """Every piece of text the pack prints, in order: what both files must carry."""
    pieces = [document["meta"]["title"], document["meta"]["agency"], document["agreement"]]
    pieces += [cell for row in document["grades"]["rows"] for cell in row]
    for item in document["good_practice"] + document["concerns"]:
        pieces += [item["reference"], item["text"]]
    pieces += [cell for row in document["actions"]["rows"] for cell in row]
    for theme in document["themes"]:
        pieces += [theme["title"], theme["text"]]
    for note in document["notes"]:
        pieces += [note["reference"], note["own"], note["ratified"], note["reason"]]
        pieces += [point["text"] for point in note["points"]]
        pieces += [action["description"] for action in note["actions"]]
    return [piece for piece in pieces if piece]


# The state of the packs, for the page that lists them --------------------------------------


def latest_edition(viewer: access.Viewer, audit: Audit) -> ReportEdition | None:
    """The audit's latest published edition the viewer may read (its document unread)."""
    return access.report_editions_for(viewer, audit).defer("document").order_by("-number").first()


FORMATS = {
    "pdf": ("PDF", "feedback_pdf", "application/pdf"),
    "docx": (
        "Word",
        "feedback_docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def feedback_packs(viewer: access.Viewer, audit: Audit, edition: ReportEdition | None) -> list:
    """For each agency whose pack the viewer may read, each format's newest file asked for and
    newest one ready, on `edition` (none before publication). One read for every agency."""
    from django.db.models.functions import Length

    from .models import Rendition, RenditionStatus

    agencies = list(access.feedback_agencies_for(viewer, audit))
    files: dict[tuple[int | None, str], list] = {}
    if edition is not None:
        found = (
            Rendition.objects.filter(
                audit=audit,
                edition=edition,
                agency__in=agencies,
                kind__in=[kind for _, kind, _ in FORMATS.values()],
            )
            .defer("content")
            .annotate(size=Length("content"))
            .order_by("-requested_at", "-id")
        )
        for rendition in found:
            files.setdefault((rendition.agency_id, rendition.kind), []).append(rendition)
    packs = []
    for agency in agencies:
        formats = []
        for extension, (label, kind, _) in FORMATS.items():
            made = files.get((agency.pk, kind), [])
            ready = [r for r in made if r.status == RenditionStatus.READY]
            latest = made[0] if made else None
            failed = latest.error if latest and latest.status == RenditionStatus.FAILED else ""
            formats.append(
                {
                    "format": extension,
                    "url_name": f"audits:feedback_{extension}",
                    "label": label,
                    "ready": ready[0] if ready else None,
                    # What the page says when none is ready: being prepared, or why it failed.
                    "preparing": bool(latest and latest.status == RenditionStatus.QUEUED),
                    "error": failed,
                }
            )
        packs.append({"agency": agency, "formats": formats})
    return packs
