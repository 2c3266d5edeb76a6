"""Every URL name stays where it was: each app owns its routes (issue 20), and no `reverse()` or
address changed on the way. `data/url_names.txt` lists each name of maca's own pages with the
path it reversed to before the routes moved."""

import re
from pathlib import Path

import pytest
from django.urls import get_resolver, resolve, reverse

SNAPSHOT = Path(__file__).parent / "data" / "url_names.txt"
SAMPLE = {"int": "7", "slug": "a-slug", "str": "a", "path": "a/b", "uuid": "0" * 32}
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def snapshot() -> list[tuple[str, str]]:
    lines = SNAPSHOT.read_text().splitlines()
    return [tuple(line.split(" ", 1)) for line in lines if line and not line.startswith("#")]


def sample(route: str) -> tuple[dict[str, str], str]:
    """Keyword arguments for a route, and the path they should reverse to."""
    kwargs = {name: SAMPLE[kind or "str"] for kind, name in PARAMETER.findall(route)}
    return kwargs, PARAMETER.sub(lambda m: SAMPLE[m.group(1) or "str"], route)


@pytest.mark.parametrize(("name", "route"), snapshot(), ids=lambda value: value)
def test_name_reverses_and_resolves_as_before(name, route):
    kwargs, path = sample(route)
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


def test_the_snapshot_covers_every_route_of_maca():
    """A name added since is not in the snapshot; that is fine. This checks the snapshot is the
    list the test means (the pages' names, 99 of them, one line each)."""
    names = [name for name, _ in snapshot()]
    assert len(names) == len(set(names)) == 99
    namespaces = set(get_resolver().namespace_dict)
    assert {name.split(":")[0] for name in names if ":" in name} <= namespaces
