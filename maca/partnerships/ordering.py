"""The partnership's own order of its areas and agencies, the one order every page, table,
chart, report and file lists them in: by position (as the coordinators arrange them), then
name. Never alphabetical on its own (decision 56)."""

from typing import Protocol

FIELDS = ("position", "name")


class Placed(Protocol):
    position: int
    name: str


def partnership_order(through: str = "") -> tuple[str, ...]:
    """The fields to `order_by`, for areas or agencies themselves or `through` a relation:
    `order_by(*partnership_order("agency__"), "pk")`."""
    return tuple(f"{through}{field}" for field in FIELDS)


def in_partnership_order(place: Placed) -> tuple[int, str]:
    """The sort key of an area or an agency: `sorted(agencies, key=in_partnership_order)`."""
    return (place.position, place.name)
