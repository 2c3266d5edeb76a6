"""Every page the access table opens carries the Content Security Policy and is not stored.

Walks the access table's GET rows with its shared scene (tests/test_access_table.py), each page
as the first role the table lets open it, on our partnership's collecting audit.
"""

import pytest
from django.urls import reverse

from tests.security.test_headers import assert_csp_holds, no_store
from tests.test_access_table import (
    OK,
    ROLES,
    TABLE,
    scene,  # noqa: F401 (the fixture)
    url_names,
)

PAGES = sorted(
    (name, next(role for role in ROLES if cells[role] == OK))
    for (name, method), cells in TABLE.items()
    if method == "GET" and OK in cells.values()
)
# Third-party pages the table classifies as groups.
OTHER_PAGES = [
    ("account_login", "anonymous"),
    ("account_reset_password", "anonymous"),
    ("admin:index", "admin_user"),
    ("admin:accounts_user_changelist", "admin_user"),
    ("mfa_index", "coordinator"),
    ("api-v1:openapi-view", "anonymous"),
]


@pytest.mark.parametrize(("name", "role"), PAGES + OTHER_PAGES)
def test_every_page_carries_the_policy_and_is_not_stored(
    name,
    role,
    db,
    scene,  # noqa: F811 (the fixture)
    client_for,
):
    users, _, objects = scene
    kwargs = {argument: objects["own_agency"][argument] for argument in url_names()[name]}
    response = client_for(users[role]).get(reverse(name, kwargs=kwargs))

    assert response.status_code == OK
    if role != "anonymous":  # downloads (CSV, PDF, Word, JSON) included
        assert no_store(response)
    if response["Content-Type"].startswith("text/html"):
        assert_csp_holds(response)


def test_the_table_walk_covers_the_page_kinds():
    names = dict(PAGES)
    for page in ("home", "audits:detail", "audits:return", "audits:report", "actions:monitoring"):
        assert page in names, page
