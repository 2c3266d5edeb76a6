"""Every view of one audit goes through `access.audit_view`: one order for all of them, the
audit's scope (404) before the method (405, with the Allow header)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# A value for each URL converter past the audit's id: never looked up before the method.
VALUES = {"int": 999_999, "str": "x", "slug": "x", "path": "x"}


def audit_urls():
    """(name, converters, view) of every page URL naming an audit by `audit_id`."""
    found = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "api" or str(pattern.pattern).startswith("api/"):
                    continue  # the API scopes in its routers and answers JSON
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and "audit_id" in pattern.pattern.converters:
                found.append(
                    (namespace + pattern.name, pattern.pattern.converters, pattern.callback)
                )

    walk(get_resolver().url_patterns)
    return found


AUDIT_URLS = audit_urls()


def _url(name, converters, audit_id):
    kwargs = {
        key: audit_id
        if key == "audit_id"
        else VALUES[type(c).__name__.removesuffix("Converter").lower()]
        for key, c in converters.items()
    }
    return reverse(name, kwargs=kwargs)


def test_the_audits_views_are_found():
    assert len(AUDIT_URLS) > 50


@pytest.mark.parametrize(("name", "converters", "view"), AUDIT_URLS, ids=[u[0] for u in AUDIT_URLS])
def test_every_audit_view_scopes_then_checks_the_method(
    name, converters, view, audit, coordinator, other_partnership_coordinator, client_for
):
    assert hasattr(view, "allowed_methods"), f"{name} is not an access.audit_view"
    url = _url(name, converters, audit.pk)
    if "coordinator" not in view.allowed_roles:  # the role is checked first: 403
        assert client_for(coordinator).put(url).status_code == 403
        return

    # Another partnership's coordinator: the audit is out of scope, whatever the method.
    assert client_for(other_partnership_coordinator).put(url).status_code == 404

    # Ours: the method is refused, naming those the view answers, before any other id is read.
    answer = client_for(coordinator).put(url)
    assert answer.status_code == 405
    assert answer["Allow"] == ", ".join(view.allowed_methods)


def test_a_missing_audit_is_404_before_the_method(coordinator, client_for):
    ours = client_for(coordinator)
    assert ours.get(reverse("audits:report_send", args=[999_999])).status_code == 404
