"""Who is asking is read once a request: the viewer's memberships are one query, however many
places ask (the database scope on PostgreSQL, the view, the navigation's partnership switch)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def _membership_queries(client, url) -> int:
    client.get(url)  # a first request: whatever a session does once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 403), response.status_code
    return sum('FROM "partnerships_membership"' in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("coordinator", "audits:detail"),
        ("police_auditor", "home"),
        ("police_auditor", "audits:meeting"),  # refused by the role check
        ("board_member", "home"),
    ],
)
def test_a_request_reads_the_viewers_memberships_once(who, page, audit, client_for, request):
    user = request.getfixturevalue(who)
    url = reverse(page, args=[audit.pk]) if page.startswith("audits:") else reverse(page)
    assert _membership_queries(client_for(user), url) == 1
