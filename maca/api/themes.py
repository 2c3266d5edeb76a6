"""Themes: an audit's theme register (its coordinators', as on their page: everyone else reads
the themes in a published edition of the report), and the partnership's theme library
(coordinators and board members; to anyone else an empty list)."""

from django.db.models import Prefetch
from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from maca import access
from maca.meetings.themes import recurring_in

from .audits import AuditId
from .schemas import INVALID, MISSING, UNAUTHORISED, Pages

router = Router(tags=["themes"])


class LibraryThemeRef(Schema):
    id: int
    title: str


class AuditThemeOut(Schema):
    id: int
    title: str
    description: str
    kind: str = Field(description="concern (an area for improvement) or strength")
    library_theme: LibraryThemeRef | None = Field(
        description="The theme of the partnership's library it is followed under"
    )
    cases: int = Field(description="How many cases evidence it")
    case_references: list[str] = Field(description="Those cases' references, in order")
    recurring_in: list[str] = Field(
        description="Earlier audits (oldest first) whose themes link to the same library theme"
    )


class LibraryThemeOut(Schema):
    id: int
    title: str
    description: str


@router.get(
    "/audits/{audit_id}/themes",
    response={200: list[AuditThemeOut], **UNAUTHORISED, **MISSING, **INVALID},
    summary="An audit's themes",
)
@paginate(Pages)
def audit_theme_list(request, audit_id: AuditId):
    """In the register's order. Coordinators only: to anyone else, not found."""
    viewer = request.viewer
    audit = access.audit_for(viewer, audit_id)
    if not access.may_manage_audit(viewer, audit):
        raise Http404("No theme register for this viewer")
    cases = access.cases_for(viewer, audit).order_by("reference", "pk")
    themes = list(
        access.audit_themes_for(viewer, audit)
        .select_related("library_theme")
        .prefetch_related(Prefetch("cases", queryset=cases))
        .order_by("position", "pk")
    )
    earlier = recurring_in(audit, {t.library_theme_id for t in themes if t.library_theme_id})
    return [
        {
            "id": theme.pk,
            "title": theme.title,
            "description": theme.description,
            "kind": theme.kind,
            "library_theme": theme.library_theme,
            "cases": len(theme.cases.all()),
            "case_references": [case.reference for case in theme.cases.all()],
            "recurring_in": (
                earlier.get(theme.library_theme_id, [])
                if theme.library_theme_id is not None
                else []
            ),
        }
        for theme in themes
    ]


@router.get(
    "/themes",
    response={200: list[LibraryThemeOut], **UNAUTHORISED, **INVALID},
    summary="The partnership's theme library",
)
@paginate(Pages)
def library_theme_list(request):
    """The library's live themes (not those merged into another), by title. Coordinators and
    board members; an empty list to anyone else."""
    return access.library_themes_for(request.viewer).live().order_by("title", "pk")
