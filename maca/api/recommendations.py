"""An audit's recommendations, each with the themes it answers and its actions. Its
coordinators', as on their page: to anyone else, not found (agency users follow their own
actions at /actions; everyone reads the recommendations in a published edition)."""

from django.db.models import Prefetch
from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from maca import access

from .actions import ActionOut
from .audits import AuditId
from .schemas import INVALID, MISSING, UNAUTHORISED, Pages

router = Router(tags=["recommendations"])


class ThemeRef(Schema):
    id: int
    title: str


class RecommendationOut(Schema):
    id: int
    text: str
    themes: list[ThemeRef]
    actions: list[ActionOut]

    @staticmethod
    def resolve_themes(recommendation):
        return list(recommendation.themes.all())

    @staticmethod
    def resolve_actions(recommendation):
        return list(recommendation.actions.all())


@router.get(
    "/audits/{audit_id}/recommendations",
    response={200: list[RecommendationOut], **UNAUTHORISED, **MISSING, **INVALID},
    summary="An audit's recommendations",
)
@paginate(Pages)
def recommendation_list(request, audit_id: AuditId):
    """In the report's order, each with its actions (soonest due first)."""
    viewer = request.viewer
    audit = access.audit_for(viewer, audit_id)
    if not access.may_manage_audit(viewer, audit):
        raise Http404("No recommendations for this viewer")
    actions = access.actions_for(viewer).select_related("agency").order_by("due", "position", "pk")
    return (
        access.recommendations_for(viewer, audit)
        .prefetch_related("themes", Prefetch("actions", queryset=actions))
        .order_by("position", "pk")
    )
