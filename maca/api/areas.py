"""The partnership's areas, in their order."""

from ninja import Router
from ninja.pagination import paginate

from maca import access
from maca.partnerships.ordering import partnership_order

from .schemas import INVALID, UNAUTHORISED, Pages, Ref

router = Router(tags=["areas"])


@router.get(
    "/areas",
    response={200: list[Ref], **UNAUTHORISED, **INVALID},
    summary="The partnership's areas",
)
@paginate(Pages)
def area_list(request):
    return access.areas_for(request.viewer).order_by(*partnership_order(), "pk")
