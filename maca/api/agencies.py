"""The partnership's agencies, in their order."""

from ninja import Router
from ninja.pagination import paginate

from maca import access
from maca.partnerships.ordering import partnership_order

from .schemas import INVALID, UNAUTHORISED, Pages, Ref

router = Router(tags=["agencies"])


@router.get(
    "/agencies",
    response={200: list[Ref], **UNAUTHORISED, **INVALID},
    summary="The partnership's agencies",
)
@paginate(Pages)
def agency_list(request):
    return access.agencies_for(request.viewer).order_by(*partnership_order(), "pk")
