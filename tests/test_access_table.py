"""The access table: every URL × every role, as the specification of who may do what.

Fails when a URL pattern has no row here, so no page can ship unclassified, and when any
cell differs from what the application answers.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from maca.api.models import ApiToken
from maca.api.services import token_create
from maca.meetings.models import Attendee
from tests import factories as f

LOGIN = "login"  # anonymous: sent to the sign-in page
OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405
INVALID = 400  # allowed in, and the empty form is refused with its errors

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
    # Sending the requests: the audit is already collecting, so a POST shows what is missing.
    ("audits:send", "GET"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
    ),
    ("audits:send", "POST"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
    ),
    ("audits:tracking", "GET"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
    ),
    ("audits:agency_chase", "POST"): row(
        anonymous=LOGIN,
        coordinator=REDIRECT,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    # The method is checked after scoping: another partnership's ids stay 404 for any method.
    ("audits:agency_chase", "GET"): row(
        anonymous=LOGIN,
        coordinator=NOT_ALLOWED,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    # Planning: any coordinator plans audits in their own partnership (an empty POST re-shows
    # the form with its errors). The audit is collecting, so its audit tool is closed: changes
    # are refused with a message and a redirect.
    ("audits:create", "GET"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=OK, rest=FORBIDDEN
    ),
    ("audits:create", "POST"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=OK, rest=FORBIDDEN
    ),
    # Past audits from the Excel template: coordinators, into their own partnership (an empty
    # upload comes back with its error); the template is only downloaded.
    **{
        (name, method): row(
            anonymous=LOGIN, coordinator=cell, other_partnership_coordinator=cell, rest=FORBIDDEN
        )
        for name, method, cell in (
            ("audits:history_upload", "GET", OK),
            ("audits:history_upload", "POST", INVALID),
            ("audits:history_template", "GET", OK),
            ("audits:history_template", "POST", NOT_ALLOWED),
        )
    },
    ("audits:edit", "GET"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
    ),
    ("audits:edit", "POST"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
    ),
    ("audits:questions", "GET"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
    ),
    **{
        (name, "POST"): row(
            anonymous=LOGIN,
            coordinator=REDIRECT,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in (
            "audits:questions",
            "audits:question_edit",
            "audits:question_delete",
            "audits:question_move",
            "audits:questions_copy",
        )
    },
    # Cases and sample: coordinators only. The audit is collecting, so its cases are closed:
    # an upload without a file or a draw re-shows the page with the error; adding or swapping
    # a case sends the coordinator back to the cases page with the reason.
    ("audits:cases", "GET"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
    ),
    **{
        (name, "POST"): row(
            anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
        )
        for name in ("audits:candidates_upload", "audits:sample_draw")
    },
    **{
        (name, "GET"): row(
            anonymous=LOGIN,
            coordinator=NOT_ALLOWED,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in ("audits:candidates_upload", "audits:sample_draw")
    },
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=REDIRECT,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in ("audits:case_add", "audits:case_swap")
        for method in ("GET", "POST")
    },
    ("audits:question_edit", "GET"): row(
        anonymous=LOGIN,
        coordinator=REDIRECT,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    **{
        (name, "GET"): row(
            anonymous=LOGIN,
            coordinator=NOT_ALLOWED,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in ("audits:question_delete", "audits:question_move", "audits:questions_copy")
    },
    # The return: Police's submitted return on the audit's first case.
    ("requests:mine", "GET"): row(
        anonymous=LOGIN, police_auditor=OK, health_auditor=OK, agency_lead=OK, rest=FORBIDDEN
    ),
    ("audits:return", "GET"): row(
        anonymous=LOGIN,
        coordinator=OK,
        police_auditor=OK,
        health_auditor=NOT_FOUND,
        agency_lead=NOT_FOUND,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    ("audits:return", "POST"): row(
        anonymous=LOGIN,
        coordinator=NOT_ALLOWED,
        police_auditor=REDIRECT,  # submitted: refused with a message
        health_auditor=NOT_FOUND,
        agency_lead=NOT_FOUND,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    ("audits:return_autosave", "POST"): row(
        anonymous=LOGIN,
        police_auditor=INVALID,  # submitted: "Not saved"
        health_auditor=NOT_FOUND,
        agency_lead=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    ("audits:return_autosave", "GET"): row(rest=NOT_ALLOWED),
    ("audits:return_send_back", "POST"): row(
        anonymous=LOGIN,
        coordinator=INVALID,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    ("audits:immediate_action_handle", "POST"): row(
        anonymous=LOGIN,
        coordinator=INVALID,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    # The meeting: coordinators only. The audit is collecting: moderation can start (a
    # redirect); the meeting can be arranged (an attendee removed) but empty forms are refused
    # with their errors, and so is anything the walk does before moderation, and reporting.
    **{
        (name, method): row(
            anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
        )
        for name, method in (
            ("audits:moderation_start", "GET"),
            ("audits:meeting", "GET"),
            ("audits:meeting_case", "GET"),
        )
    },
    **{
        (name, "POST"): row(
            anonymous=LOGIN,
            coordinator=REDIRECT,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in ("audits:moderation_start", "audits:attendee_remove")
    },
    **{
        (name, "POST"): row(
            anonymous=LOGIN,
            coordinator=INVALID,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in (
            "audits:meeting",
            "audits:attendee_add",
            "audits:reporting_start",
            "audits:case_ratify",
            "audits:case_unlock",
            "audits:case_point_add",
            "audits:case_point_remove",
            "audits:immediate_action_add",
        )
    },
    **{
        (name, "GET"): row(
            anonymous=LOGIN,
            coordinator=NOT_ALLOWED,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in (
            "audits:attendee_add",
            "audits:attendee_remove",
            "audits:reporting_start",
            "audits:case_ratify",
            "audits:case_unlock",
            "audits:case_point_add",
            "audits:case_point_remove",
            "audits:immediate_action_add",
        )
    },
    # Case summaries: coordinators; agency users of an involved agency once the audit is in
    # moderation. The audit is collecting, so Police and Children's Social Care get 404 like
    # Health (not involved); board members never read case-level text.
    **{
        (name, "GET"): row(
            anonymous=LOGIN,
            coordinator=OK,
            police_auditor=NOT_FOUND,
            health_auditor=NOT_FOUND,
            agency_lead=NOT_FOUND,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in ("audits:case_summaries", "audits:case_summary")
    },
    # The meeting pack holds every agency's case-level text: coordinators only. None has been
    # prepared for the audit, so there is nothing to download yet.
    ("audits:meeting_pack", "GET"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
    ),
    ("audits:meeting_pack_request", "POST"): row(
        anonymous=LOGIN,
        coordinator=REDIRECT,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    ("audits:meeting_pack_download", "GET"): row(
        anonymous=LOGIN,
        coordinator=NOT_FOUND,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=NOT_ALLOWED,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name, method in (
            ("audits:meeting_pack", "POST"),
            ("audits:meeting_pack_request", "GET"),
            ("audits:meeting_pack_download", "POST"),
        )
    },
    # The audit's themes: coordinators only. The audit is collecting, so its themes are not
    # open yet: the register shows without its add form; changes are refused with a message
    # and a redirect.
    ("audits:themes", "GET"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
    ),
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=REDIRECT,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name, method in (
            ("audits:themes", "POST"),
            ("audits:theme_edit", "GET"),
            ("audits:theme_edit", "POST"),
            ("audits:theme_delete", "POST"),
            ("audits:case_theme_tag", "POST"),
            ("audits:case_theme_untag", "POST"),
        )
    },
    **{
        (name, "GET"): row(
            anonymous=LOGIN,
            coordinator=NOT_ALLOWED,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in ("audits:theme_delete", "audits:case_theme_tag", "audits:case_theme_untag")
    },
    # The summary report. Its draft is for coordinators (a preview while the audit is still
    # collecting: writing is refused with a message); everyone else who may see the audit
    # reads the published editions (the audit has edition 1, with its PDF made).
    ("audits:report", "GET"): row(
        anonymous=LOGIN,
        coordinator=OK,
        police_auditor=REDIRECT,
        agency_lead=REDIRECT,
        board_member=REDIRECT,
        health_auditor=NOT_FOUND,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    ("audits:report", "POST"): row(
        anonymous=LOGIN,
        coordinator=NOT_ALLOWED,
        police_auditor=NOT_ALLOWED,
        agency_lead=NOT_ALLOWED,
        board_member=NOT_ALLOWED,
        health_auditor=NOT_FOUND,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    ("audits:report_section", "GET"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=NOT_FOUND, rest=FORBIDDEN
    ),
    **{
        (name, "POST"): row(
            anonymous=LOGIN,
            coordinator=INVALID,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in (
            "audits:report_section",
            "audits:report_autosave",
            "audits:report_send",
            "audits:report_approve",
            "audits:report_publish",
        )
    },
    **{
        (name, "GET"): row(
            anonymous=LOGIN,
            coordinator=NOT_ALLOWED,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in (
            "audits:report_autosave",
            "audits:report_send",
            "audits:report_approve",
            "audits:report_publish",
        )
    },
    # The draft's files: coordinators (none made yet); to anyone else there are none.
    ("audits:report_files", "GET"): row(
        anonymous=LOGIN,
        coordinator=REDIRECT,
        outsider=FORBIDDEN,
        admin_user=FORBIDDEN,
        rest=NOT_FOUND,
    ),
    ("audits:report_files", "POST"): row(
        anonymous=LOGIN,
        coordinator=INVALID,
        outsider=FORBIDDEN,
        admin_user=FORBIDDEN,
        rest=NOT_FOUND,
    ),
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=NOT_FOUND if method == "GET" else NOT_ALLOWED,
            outsider=FORBIDDEN,
            admin_user=FORBIDDEN,
            rest=NOT_FOUND,
        )
        for name in ("audits:report_pdf", "audits:report_docx")
        for method in ("GET", "POST")
    },
    # A published edition: everyone in the partnership who may see the audit.
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=cell,
            police_auditor=cell,
            agency_lead=cell,
            board_member=cell,
            health_auditor=NOT_FOUND,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name, method, cell in (
            ("audits:report_edition", "GET", OK),
            ("audits:report_edition", "POST", NOT_ALLOWED),
            ("audits:edition_files", "GET", REDIRECT),
            ("audits:edition_files", "POST", INVALID),
            ("audits:edition_pdf", "GET", OK),
            ("audits:edition_pdf", "POST", NOT_ALLOWED),
            ("audits:edition_docx", "GET", NOT_FOUND),  # not made yet
            ("audits:edition_docx", "POST", NOT_ALLOWED),
            ("audits:edition_json", "GET", OK),
            ("audits:edition_json", "POST", NOT_ALLOWED),
        )
    },
    # Monitoring actions, and the same list as CSV and Word: coordinators and agency users,
    # each in their own scope (the other partnership's coordinator gets their own, empty list).
    **{
        (name, "GET"): row(
            anonymous=LOGIN,
            outsider=FORBIDDEN,
            board_member=FORBIDDEN,
            admin_user=FORBIDDEN,
            rest=OK,
        )
        for name in ("actions:monitoring", "actions:monitoring_csv", "actions:monitoring_docx")
    },
    **{
        (name, "POST"): row(rest=NOT_ALLOWED)
        for name in ("actions:monitoring", "actions:monitoring_csv", "actions:monitoring_docx")
    },
    # Recommendations and their actions, who the report went to, closing: coordinators. The
    # audit is collecting, so forms come back with their errors (empty posts) or refusals.
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=cell,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name, method, cell in (
            ("audits:recommendations", "GET", OK),
            ("audits:recommendations", "POST", INVALID),
            ("audits:recommendation_edit", "GET", OK),
            ("audits:recommendation_edit", "POST", INVALID),
            ("audits:recommendation_delete", "GET", NOT_ALLOWED),
            ("audits:recommendation_delete", "POST", INVALID),
            ("audits:action_add", "GET", OK),
            ("audits:action_add", "POST", INVALID),
            ("audits:dissemination", "GET", OK),
            ("audits:dissemination", "POST", INVALID),
            ("audits:close", "GET", OK),
            ("audits:close", "POST", INVALID),
            ("actions:edit", "GET", OK),
            ("actions:edit", "POST", INVALID),
        )
    },
    # An action (Police's): its agency's people and the coordinators record progress.
    **{
        ("actions:detail", method): row(
            anonymous=LOGIN,
            coordinator=cell,
            police_auditor=cell,
            health_auditor=NOT_FOUND,
            agency_lead=NOT_FOUND,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for method, cell in (("GET", OK), ("POST", INVALID))
    },
    # The partnership's names to catch: its coordinators (each partnership its own list).
    ("names_to_catch", "GET"): row(
        anonymous=LOGIN, coordinator=OK, other_partnership_coordinator=OK, rest=FORBIDDEN
    ),
    ("names_to_catch", "POST"): row(
        anonymous=LOGIN,
        coordinator=REDIRECT,
        other_partnership_coordinator=REDIRECT,
        rest=FORBIDDEN,
    ),
    # The theme library: coordinators and board members read it (the other partnership's
    # coordinator reads their own library); coordinators change it (empty forms are refused).
    **{
        ("learning:library", method): row(
            anonymous=LOGIN,
            coordinator=cell,
            board_member=cell,
            other_partnership_coordinator=cell,
            rest=FORBIDDEN,
        )
        for method, cell in (("GET", OK), ("POST", NOT_ALLOWED))
    },
    **{
        ("learning:library_add", method): row(
            anonymous=LOGIN, coordinator=cell, other_partnership_coordinator=cell, rest=FORBIDDEN
        )
        for method, cell in (("GET", OK), ("POST", INVALID))
    },
    **{
        ("learning:library_theme", method): row(
            anonymous=LOGIN,
            coordinator=cell,
            board_member=cell,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for method, cell in (("GET", OK), ("POST", NOT_ALLOWED))
    },
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=cell,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in ("learning:library_edit", "learning:library_merge")
        for method, cell in (("GET", OK), ("POST", INVALID))
    },
    # The dashboard and its tables' CSV: coordinators and board members (the other partnership's
    # coordinator sees their own partnership's); the board's threshold is set by coordinators
    # (an empty form is refused).
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=cell,
            board_member=cell,
            other_partnership_coordinator=cell,
            rest=FORBIDDEN,
        )
        for name in ("learning:dashboard", "learning:dashboard_csv")
        for method, cell in (("GET", OK), ("POST", NOT_ALLOWED))
    },
    ("learning:threshold", "POST"): row(
        anonymous=LOGIN, coordinator=INVALID, other_partnership_coordinator=INVALID, rest=FORBIDDEN
    ),
    ("learning:threshold", "GET"): row(
        anonymous=LOGIN,
        coordinator=NOT_ALLOWED,
        other_partnership_coordinator=NOT_ALLOWED,
        rest=FORBIDDEN,
    ),
    # Personal API tokens: every member has their own page (an empty form is refused); a token
    # (the coordinator's) is revoked by its own user only, and is nobody else's to find.
    ("api_tokens", "GET"): row(anonymous=LOGIN, outsider=FORBIDDEN, admin_user=FORBIDDEN, rest=OK),
    ("api_tokens", "POST"): row(
        anonymous=LOGIN, outsider=FORBIDDEN, admin_user=FORBIDDEN, rest=INVALID
    ),
    ("api_token_revoke", "POST"): row(
        anonymous=LOGIN,
        outsider=FORBIDDEN,
        admin_user=FORBIDDEN,
        coordinator=REDIRECT,
        rest=NOT_FOUND,
    ),
    ("api_token_revoke", "GET"): row(rest=NOT_ALLOWED),
    # Any other path under /api/: the API's JSON "not found", whoever asks.
    ("api_not_found", "GET"): row(rest=NOT_FOUND),
    ("api_not_found", "POST"): row(rest=NOT_FOUND),
}

# Third-party pages, classified as groups: allauth's account pages (public: sign-in, reset)
# and Django's admin (staff only). Spot checks below prove each group's rule.
GROUPS = {
    "account_": "allauth account pages",
    "admin:": "Django admin, staff only",
    "api-v1:": "the REST API, token-authenticated, tested in tests/api",
}


def url_names() -> dict[str, list[str]]:
    """Every named URL pattern, with the names of its arguments."""
    names = {}

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif isinstance(pattern, URLPattern):
                name = namespace + (pattern.name or f"<unnamed {pattern.pattern}>")
                names[name] = list(pattern.pattern.converters)

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


@pytest.fixture(autouse=True)
def _meeting_in_the_audits(request):
    """A meeting with an attendee, and a point on the first case, in the audit a test uses
    (ours or the other partnership's), for the meeting's URLs to name."""
    for name in ("audit", "other_audit"):
        if name in request.fixturenames:
            audit = request.getfixturevalue(name)
            meeting = f.MeetingFactory(audit=audit)
            f.AttendeeFactory(meeting=meeting)
            f.CasePointFactory(case=audit.cases.order_by("reference").first(), meeting=meeting)
            f.published_report(audit)
            theme = audit.themes.first()
            theme.library_theme = f.LibraryThemeFactory(
                partnership=audit.partnership, title=theme.title
            )
            theme.save()
            police = audit.partnership.agencies.filter(name="Police").first()
            f.ActionFactory(
                recommendation=f.RecommendationFactory(audit=audit),
                **({"agency": police} if police else {}),
            )


@pytest.fixture(autouse=True)
def _a_token_of_the_coordinator(request):
    """A token of our coordinator's, for the rows of the token pages to name."""
    callspec = getattr(request.node, "callspec", None)
    if callspec and str(callspec.params.get("name", "")).startswith("api_token"):
        token_create(
            user=request.getfixturevalue("coordinator"),
            partnership=request.getfixturevalue("partnership"),
            name="Figures script",
        )


def _objects(audit) -> dict[str, int]:
    """What each URL argument names, within `audit`: its first case, the submitted return's
    request on that case (Police's, in our audit), its first question, drawn candidate and
    theme, and its meeting's attendee and point (from `_meeting_in_the_audits`)."""
    case = audit.cases.order_by("reference").first()
    request = case.requests.filter(status="submitted").first()
    return {
        "audit_id": audit.pk,
        "case_id": case.pk,
        "request_id": request.pk,
        "agency_id": request.agency_id,
        "question_id": audit.questions.first().pk,
        "candidate_id": case.candidate.pk,
        "theme_id": audit.themes.first().pk,
        "library_theme_id": audit.themes.first().library_theme_id,
        "attendee_id": Attendee.objects.filter(meeting__audit=audit).first().pk,
        "point_id": case.points.first().pk,
        "key": "introduction",
        "table": "calibration",
        "number": 1,
        "recommendation_id": audit.recommendations.first().pk,
        "action_id": audit.actions.first().pk,
        "token_id": ApiToken.objects.filter(partnership=audit.partnership)
        .values_list("pk", flat=True)
        .first(),
    }


def _kwargs(name: str, audit) -> dict:
    objects = _objects(audit)
    return {argument: objects[argument] for argument in url_names()[name]}


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


@pytest.mark.parametrize(
    ("name", "method"), [key for key in TABLE if "audits:" in key[0] and url_names()[key[0]]]
)
@pytest.mark.parametrize(
    "role", [r for r in ROLES if r not in {"anonymous", "other_partnership_coordinator"}]
)
def test_another_partnerships_objects_are_not_found(
    name, method, role, request, other_audit, client_for
):
    user = request.getfixturevalue(role)
    response = _request(client_for(user), method, reverse(name, kwargs=_kwargs(name, other_audit)))
    # Whoever may open such a page at all gets "not found", exactly as for a missing id.
    refusals = {NOT_FOUND, FORBIDDEN} | (
        {NOT_ALLOWED} if TABLE[name, method][role] == NOT_ALLOWED else set()
    )
    assert response.status_code in refusals
    if TABLE[name, method][role] == OK:
        assert response.status_code == NOT_FOUND


@pytest.mark.parametrize(
    ("name", "method"), [key for key in TABLE if "library_theme_id" in url_names()[key[0]]]
)
@pytest.mark.parametrize("role", ["coordinator", "board_member"])
def test_another_partnerships_library_themes_are_not_found(
    name, method, role, request, other_audit, client_for
):
    user = request.getfixturevalue(role)
    response = _request(client_for(user), method, reverse(name, kwargs=_kwargs(name, other_audit)))
    # A role that may open the page at all gets "not found", exactly as for a missing id.
    allowed = TABLE[name, method][role] != FORBIDDEN
    assert response.status_code == (NOT_FOUND if allowed else FORBIDDEN)


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


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "admin_user"])
def test_the_api_answers_only_a_token(role, request, audit, client_for):
    """Signing in opens no API operation: without a token, 401 for every one of them."""
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_for(user)
    operations = [
        name.removeprefix("api-v1:")
        for name in url_names()
        if name.startswith("api-v1:") and name not in {"api-v1:openapi-json", "api-v1:openapi-view"}
    ]
    assert "audit_list" in operations and "action_progress" in operations
    # The paths that only take a POST (a PUT's path also takes a GET).
    posts = {"action_progress", "return_submit", "return_sign_off_request", "bundle_create"}
    for operation in operations:
        url = reverse(f"api-v1:{operation}", kwargs=_kwargs(f"api-v1:{operation}", audit))
        if operation == "api-root":
            assert client.get(url).status_code == NOT_FOUND
            continue
        response = _request(client, "POST" if operation in posts else "GET", url)
        assert response.status_code == 401, operation


def test_the_api_document_and_its_page_are_public(client):
    assert client.get(reverse("api-v1:openapi-json")).status_code == OK
    assert client.get(reverse("api-v1:openapi-view")).status_code == OK
