"""The access table: every URL × every role, as the specification of who may do what.

Fails when a URL pattern has no row here, so no page can ship unclassified, and when any
cell differs from what the application answers.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

LOGIN = "login"  # anonymous: sent to the sign-in page
OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405

ROLES = [
    "anonymous",
    "outsider",
    "coordinator",
    "police_auditor",
    "health_auditor",
    "agency_lead",
    "board_member",
    "other_partnership_coordinator",
    "admin_user",
]


def row(**cells):
    """A row of the table; `rest` fills the roles not named."""
    rest = cells.pop("rest", None)
    filled = {role: cells.get(role, rest) for role in ROLES}
    missing = [role for role, cell in filled.items() if cell is None]
    assert not missing, f"row leaves roles out: {missing}"
    return filled


# (url name, method) -> role -> what that role gets, on objects of our partnership.
# The audit is one where Police and Children's Social Care are involved and Health is not.
TABLE = {
    ("home", "GET"): row(anonymous=LOGIN, rest=OK),
    ("switch_partnership", "POST"): row(anonymous=LOGIN, rest=REDIRECT),
    ("switch_partnership", "GET"): row(rest=NOT_ALLOWED),
    ("healthz", "GET"): row(rest=OK),
    ("audits:detail", "GET"): row(
        anonymous=LOGIN,
        outsider=FORBIDDEN,
        admin_user=FORBIDDEN,
        coordinator=OK,
        police_auditor=OK,
        agency_lead=OK,
        board_member=OK,
        health_auditor=NOT_FOUND,
        other_partnership_coordinator=NOT_FOUND,
    ),
    ("audits:history", "GET"): row(
        anonymous=LOGIN,
        coordinator=OK,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    ("audits:report_json", "GET"): row(
        anonymous=LOGIN,
        coordinator=OK,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
}

# Third-party pages, classified as groups: allauth's account pages (public: sign-in, reset)
# and Django's admin (staff only). Spot checks below prove each group's rule.
GROUPS = {"account_": "allauth account pages", "admin:": "Django admin, staff only"}


def url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif isinstance(pattern, URLPattern):
                names.add(namespace + (pattern.name or f"<unnamed {pattern.pattern}>"))

    walk(get_resolver().url_patterns)
    return names


def test_every_url_has_a_row_in_the_table():
    classified = {name for name, _ in TABLE}
    unclassified = sorted(
        name
        for name in url_names()
        if name not in classified and not any(name.startswith(g) for g in GROUPS)
    )
    assert unclassified == [], f"URL patterns missing from the access table: {unclassified}"


def _kwargs(name: str, audit) -> dict:
    return {"audit_id": audit.pk} if name.startswith("audits:") else {}


def _request(client, method, url):
    return client.post(url) if method == "POST" else client.get(url)


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == REDIRECT
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


CELLS = [(name, method, role) for (name, method), cells in TABLE.items() for role in cells]


@pytest.mark.parametrize(("name", "method", "role"), CELLS)
def test_cell(name, method, role, request, audit, client_for):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    url = reverse(name, kwargs=_kwargs(name, audit))
    _check(_request(client_for(user), method, url), TABLE[name, method][role])


@pytest.mark.parametrize(("name", "method"), [key for key in TABLE if "audits:" in key[0]])
@pytest.mark.parametrize(
    "role", [r for r in ROLES if r not in {"anonymous", "other_partnership_coordinator"}]
)
def test_another_partnerships_objects_are_not_found(
    name, method, role, request, other_audit, client_for
):
    user = request.getfixturevalue(role)
    response = _request(client_for(user), method, reverse(name, kwargs=_kwargs(name, other_audit)))
    # Whoever may open such a page at all gets "not found", exactly as for a missing id.
    assert response.status_code in {NOT_FOUND, FORBIDDEN}
    if TABLE[name, method][role] == OK:
        assert response.status_code == NOT_FOUND


def test_sign_in_page_is_public(client):
    assert client.get(reverse("account_login")).status_code == OK


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "board_member"])
def test_admin_is_for_staff_only(role, request, client_for):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = client_for(user).get(reverse("admin:index"))
    assert response.status_code == REDIRECT
    assert "/admin/login/" in response["Location"]


def test_admin_opens_for_the_installation_admin(admin_user, client_for):
    assert client_for(admin_user).get(reverse("admin:index")).status_code == OK
