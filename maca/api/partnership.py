"""The partnership the token acts in."""

from ninja import Router, Schema

from .schemas import UNAUTHORISED

router = Router(tags=["partnership"])


class PartnershipOut(Schema):
    id: int
    name: str


@router.get(
    "/partnership",
    response={200: PartnershipOut, **UNAUTHORISED},
    summary="The token's partnership",
)
def partnership_detail(request):
    """The partnership this token works in (chosen when the token was made)."""
    return request.viewer.partnership
