"""The access table: every URL × method × role × object variant, as the specification of who
may do what. The tests that request its cells are in tests/test_access.py; this module is the
table itself and the scene its cells are requested on, shared with the query counts
(tests/test_query_counts.py).

Every cell is compared on one database (PostgreSQL when `DATABASE_URL` is set, as in CI; on
SQLite too with `MACA_ACCESS_TABLE=all`): requested, except that a sign-in or 403 answered by
`@access.allow` before the view runs is requested on one variant of five (the same answer on
each: tests/test_access.py, `answered_by_the_role_check`); and a deterministic sample on the
other (`sampled`): 10 roles × 253 URLs and methods × 5 object variants = 12,650 cells
(`COUNTS`; the same figures are in docs/security.md, the access control row).

The objects a URL names come in five variants (`VARIANTS`): our collecting audit with Police's
submitted return (the table as written), the same audit with Children's Social Care's draft
return, the other partnership's collecting audit, our closed audit, and our audit in planning.
`TABLE` holds the cells of the first; `DIFFERS` holds, per variant, only the cells that differ.
"""

import functools
import zlib

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from maca.actions.models import ActionStatus
from maca.api.services import token_create
from maca.audits.models import AuditStatus, RequestStatus
from maca.partnerships.models import Role
from maca.yearly.models import YearlyEdition, YearlyReport
from tests import factories as f

LOGIN = "login"  # signed out: sent to the sign-in page
OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405
INVALID = 400  # allowed in, and the empty form is refused with its errors
CONFLICT = 409  # allowed in, and the empty form is refused as an edit of an older version

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
    # A coordinator of ours, disabled after signing in, session kept: signed out everywhere.
    "disabled_user",
]


def row(**cells):
    """A row of the table; `rest` fills the roles not named. A disabled user is signed out,
    so unless named, their cell is the anonymous one."""
    rest = cells.pop("rest", None)
    filled = {role: cells.get(role, rest) for role in ROLES}
    if "disabled_user" not in cells:
        filled["disabled_user"] = filled["anonymous"]
    missing = [role for role, cell in filled.items() if cell is None]
    assert not missing, f"row leaves roles out: {missing}"
    return filled


# (url name, method) -> role -> what that role gets, on the objects of the `own_agency` variant:
# our collecting audit, where Police and Children's Social Care are involved and Health is not;
# the return named is Police's, submitted, and the action is Police's.
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
    # The audit tool's answers, counted (and in words), and their CSV: coordinators of the
    # audit's partnership only, on any audit, planned or closed.
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=cell,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name, method, cell in (
            ("audits:answers", "GET", OK),
            ("audits:answers", "POST", NOT_ALLOWED),
            ("audits:answers_csv", "GET", OK),
            ("audits:answers_csv", "POST", NOT_ALLOWED),
        )
    },
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
    # The partnership's agencies, who hears from maca at each, and their contact addresses; the
    # outbox: coordinators, each of their own partnership. An empty contact form is valid (it
    # removes the address, here none), so it saves and goes back.
    **{
        (name, method): row(
            anonymous=LOGIN, coordinator=cell, other_partnership_coordinator=cell, rest=FORBIDDEN
        )
        for name, method, cell in (
            ("agencies:list", "GET", OK),
            ("agencies:list", "POST", NOT_ALLOWED),
            ("notices:outbox", "GET", OK),
            ("notices:outbox", "POST", NOT_ALLOWED),
        )
    },
    **{
        ("agencies:contact", method): row(
            anonymous=LOGIN,
            coordinator=cell,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for method, cell in (("GET", OK), ("POST", REDIRECT))
    },
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
    # The audit programme: coordinators and board members, each their own partnership's.
    ("audits:programme", "GET"): row(
        anonymous=LOGIN,
        coordinator=OK,
        board_member=OK,
        other_partnership_coordinator=OK,
        rest=FORBIDDEN,
    ),
    ("audits:programme", "POST"): row(rest=NOT_ALLOWED),
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
    # Planning a re-audit: coordinators, of an audit whose cases are graded (the collecting and
    # the planned audits go back to their page; the closed one shows the form).
    **{
        ("audits:reaudit", method): row(
            anonymous=LOGIN,
            coordinator=REDIRECT,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for method in ("GET", "POST")
    },
    # A re-audit compared with its earlier audit: coordinators; no audit of the table is a
    # re-audit, so not found (tests/reports/test_comparison_page.py opens one).
    ("audits:comparison", "GET"): row(
        anonymous=LOGIN,
        coordinator=NOT_FOUND,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    ("audits:comparison", "POST"): row(
        anonymous=LOGIN,
        coordinator=NOT_ALLOWED,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
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
    # A case's profile (decision 69): coordinators; the partnership records no profile field
    # here, so the page sends them back to the cases page saying so (tests/audits/
    # test_case_profiles.py sets and refuses values).
    **{
        ("audits:case_profile", method): row(
            anonymous=LOGIN,
            coordinator=REDIRECT,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for method in ("GET", "POST")
    },
    # The audit is collecting, so its tool is closed: editing a question, or asking to delete
    # one, sends the coordinator back to the audit tool with the reason.
    **{
        (name, "GET"): row(
            anonymous=LOGIN,
            coordinator=REDIRECT,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in ("audits:question_edit", "audits:question_delete")
    },
    **{
        (name, "GET"): row(
            anonymous=LOGIN,
            coordinator=NOT_ALLOWED,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in ("audits:question_move", "audits:questions_copy")
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
    # Its audit is scoped before the method is refused (`access.audit_view`): 404 out of scope.
    ("audits:return_autosave", "GET"): row(
        anonymous=LOGIN,
        police_auditor=NOT_ALLOWED,
        health_auditor=NOT_FOUND,
        agency_lead=NOT_ALLOWED,
        rest=FORBIDDEN,
    ),
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
            ("audits:cases_without_returns", "GET"),
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
            "audits:cases_without_returns",
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
            "audits:report_charts",
            "audits:report_send",
            "audits:report_send_back",
            "audits:report_approve",
            "audits:report_publish",
            "audits:report_not_a_name",
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
            "audits:report_charts",
            "audits:report_send",
            "audits:report_send_back",
            "audits:report_approve",
            "audits:report_publish",
            "audits:report_not_a_name",
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
    # The audit is scoped, then a POST refused; a GET then finds the draft's file only for a
    # coordinator, who has not had it made yet.
    **{
        (name, method): row(
            anonymous=LOGIN,
            outsider=FORBIDDEN,
            admin_user=FORBIDDEN,
            health_auditor=NOT_FOUND,
            other_partnership_coordinator=NOT_FOUND,
            rest=NOT_FOUND if method == "GET" else NOT_ALLOWED,
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
    # Each agency's feedback pack: the list for coordinators and the involved agencies' people
    # (each sees their own agency's), never the board; a pack's files for that agency's people
    # and the coordinators only. Police's PDF is made (Police is the own agency's), its Word
    # file not yet; Health is not involved, so does not see the audit.
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=cell,
            police_auditor=cell,
            agency_lead=cell,
            health_auditor=NOT_FOUND,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name, method, cell in (
            ("audits:feedback", "GET", OK),
            ("audits:feedback", "POST", NOT_ALLOWED),
            ("audits:feedback_pdf", "POST", NOT_ALLOWED),
            ("audits:feedback_docx", "POST", NOT_ALLOWED),
            ("audits:feedback_docx", "GET", NOT_FOUND),  # not made yet
        )
    },
    # Making the packs again: coordinators (our audits have an edition; in planning the
    # refusal is a message on the page it goes back to).
    ("audits:feedback_prepare", "POST"): row(
        anonymous=LOGIN,
        coordinator=REDIRECT,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    ("audits:feedback_prepare", "GET"): row(
        anonymous=LOGIN,
        coordinator=NOT_ALLOWED,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    ("audits:feedback_pdf", "GET"): row(
        anonymous=LOGIN,
        coordinator=OK,
        police_auditor=OK,
        agency_lead=NOT_FOUND,  # Children's Social Care's lead: not theirs
        health_auditor=NOT_FOUND,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    # The learning briefing (decision 71): the coordinators' draft and its editing; the
    # published briefing and its files for everyone who reads the published report, the board
    # included (our audits have one published; the page sends them to it).
    ("audits:briefing", "GET"): row(
        anonymous=LOGIN,
        outsider=FORBIDDEN,
        admin_user=FORBIDDEN,
        coordinator=OK,
        police_auditor=REDIRECT,
        agency_lead=REDIRECT,
        board_member=REDIRECT,
        health_auditor=NOT_FOUND,
        other_partnership_coordinator=NOT_FOUND,
    ),
    **{
        (name, method): row(
            anonymous=LOGIN,
            outsider=FORBIDDEN,
            admin_user=FORBIDDEN,
            coordinator=cell,
            police_auditor=cell,
            agency_lead=cell,
            board_member=cell,
            health_auditor=NOT_FOUND,
            other_partnership_coordinator=NOT_FOUND,
        )
        for name, method, cell in (
            ("audits:briefing", "POST", NOT_ALLOWED),
            ("audits:briefing_edition", "GET", OK),
            ("audits:briefing_edition", "POST", NOT_ALLOWED),
            ("audits:briefing_pdf", "GET", OK),
            ("audits:briefing_pdf", "POST", NOT_ALLOWED),
            ("audits:briefing_docx", "GET", OK),
            ("audits:briefing_docx", "POST", NOT_ALLOWED),
        )
    },
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=cell,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name, method, cell in (
            ("audits:briefing_draft", "POST", INVALID),  # drafted already: edit it
            ("audits:briefing_draft", "GET", NOT_ALLOWED),
            ("audits:briefing_edit", "GET", OK),
            ("audits:briefing_edit", "POST", INVALID),
            ("audits:briefing_publish", "POST", INVALID),
            ("audits:briefing_publish", "GET", NOT_ALLOWED),
        )
    },
    # The dissemination log: coordinators and agency leads record; a row is changed by a
    # coordinator, or by the lead of its agency (the scene's row is nobody's agency's).
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=cell,
            agency_lead=lead,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name, method, cell, lead in (
            ("audits:dissemination", "GET", OK, OK),
            ("audits:dissemination", "POST", INVALID, INVALID),
            ("audits:dissemination_edit", "GET", OK, NOT_FOUND),
            ("audits:dissemination_edit", "POST", INVALID, NOT_FOUND),
            ("audits:dissemination_delete", "POST", REDIRECT, NOT_FOUND),
            ("audits:dissemination_delete", "GET", NOT_ALLOWED, NOT_ALLOWED),
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
    # Action progress, counted: coordinators and board members, each their own partnership's.
    ("actions:progress", "GET"): row(
        anonymous=LOGIN,
        coordinator=OK,
        board_member=OK,
        other_partnership_coordinator=OK,
        rest=FORBIDDEN,
    ),
    ("actions:progress", "POST"): row(rest=NOT_ALLOWED),
    # The yearly assurance reports (decision 72): coordinators write them, each their own
    # partnership's; board members read the published editions (the report named here has
    # edition 1, so the board is sent on to it). Empty forms come back with their errors.
    ("yearly:list", "GET"): row(
        anonymous=LOGIN,
        coordinator=OK,
        board_member=OK,
        other_partnership_coordinator=OK,
        rest=FORBIDDEN,
    ),
    **{
        (name, method): row(rest=NOT_ALLOWED)
        for name, method in (
            ("yearly:list", "POST"),
            ("yearly:report", "POST"),
            ("yearly:send", "GET"),
            ("yearly:approve", "GET"),
            ("yearly:publish", "GET"),
            ("yearly:report_pdf", "POST"),
            ("yearly:report_docx", "POST"),
            ("yearly:edition", "POST"),
            ("yearly:edition_pdf", "POST"),
            ("yearly:edition_docx", "POST"),
        )
    },
    **{
        ("yearly:new", method): row(
            anonymous=LOGIN, coordinator=cell, other_partnership_coordinator=cell, rest=FORBIDDEN
        )
        for method, cell in (("GET", OK), ("POST", INVALID))
    },
    ("yearly:report", "GET"): row(
        anonymous=LOGIN,
        coordinator=OK,
        board_member=REDIRECT,
        other_partnership_coordinator=NOT_FOUND,
        rest=FORBIDDEN,
    ),
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=cell,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name, method, cell in (
            ("yearly:section", "GET", OK),
            ("yearly:section", "POST", INVALID),
            ("yearly:send", "POST", REDIRECT),
            ("yearly:approve", "POST", INVALID),
            ("yearly:publish", "POST", INVALID),
            ("yearly:report_pdf", "GET", OK),
            ("yearly:report_docx", "GET", OK),
        )
    },
    **{
        (name, "GET"): row(
            anonymous=LOGIN,
            coordinator=OK,
            board_member=OK,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for name in ("yearly:edition", "yearly:edition_pdf", "yearly:edition_docx")
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
    # The partnership's areas and agencies: its coordinators rename them (an empty form is
    # refused); the other partnership's coordinator sees their own list, not our rows.
    **{
        ("partnerships:areas_and_agencies", method): row(
            anonymous=LOGIN, coordinator=cell, other_partnership_coordinator=cell, rest=FORBIDDEN
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
        for name in ("partnerships:area_edit", "partnerships:agency_edit")
        for method, cell in (("GET", OK), ("POST", INVALID))
    },
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
    # The dashboard, its parts and its tables' CSV: coordinators and board members (the other
    # partnership's coordinator sees their own partnership's); the board's threshold is set by
    # coordinators (an empty form is refused).
    **{
        (name, method): row(
            anonymous=LOGIN,
            coordinator=cell,
            board_member=cell,
            other_partnership_coordinator=cell,
            rest=FORBIDDEN,
        )
        for name in ("learning:dashboard", "learning:dashboard_topic", "learning:dashboard_csv")
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
    # The retention period, beside the threshold; the legal hold on an audit: coordinators (an
    # empty form is refused; another partnership's audit is not found).
    ("learning:retention", "POST"): row(
        anonymous=LOGIN, coordinator=INVALID, other_partnership_coordinator=INVALID, rest=FORBIDDEN
    ),
    ("learning:retention", "GET"): row(
        anonymous=LOGIN,
        coordinator=NOT_ALLOWED,
        other_partnership_coordinator=NOT_ALLOWED,
        rest=FORBIDDEN,
    ),
    # What the grades mean, in the partnership's words: its coordinators (the empty form is
    # valid: every grade reads the default words again).
    **{
        ("learning:grade_descriptors", method): row(
            anonymous=LOGIN, coordinator=cell, other_partnership_coordinator=cell, rest=FORBIDDEN
        )
        for method, cell in (("GET", OK), ("POST", REDIRECT))
    },
    # The case profile fields the partnership records: its coordinators (the empty form is
    # valid: it records none).
    **{
        ("learning:profile_fields", method): row(
            anonymous=LOGIN, coordinator=cell, other_partnership_coordinator=cell, rest=FORBIDDEN
        )
        for method, cell in (("GET", OK), ("POST", REDIRECT))
    },
    **{
        ("audits:legal_hold", method): row(
            anonymous=LOGIN,
            coordinator=cell,
            other_partnership_coordinator=NOT_FOUND,
            rest=FORBIDDEN,
        )
        for method, cell in (("GET", NOT_ALLOWED), ("POST", INVALID))
    },
    # Personal API tokens: every member has their own page; making one first asks them to
    # confirm it is them (the password or a code: tests/api/test_token_page.py); a token (the
    # coordinator's) is revoked by its own user only, and is nobody else's to find.
    ("api_tokens", "GET"): row(anonymous=LOGIN, outsider=FORBIDDEN, admin_user=FORBIDDEN, rest=OK),
    ("api_tokens", "POST"): row(
        anonymous=LOGIN, outsider=FORBIDDEN, admin_user=FORBIDDEN, rest=REDIRECT
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

# The objects a URL names, per variant; a variant's cells are TABLE's except where `DIFFERS`
# (below) or, for the other partnership, `expected` says otherwise.
VARIANTS = {
    "own_agency": "our collecting audit; Police's submitted return; Police's action",
    "other_agency": "our collecting audit; Children's Social Care's draft return and action",
    "other_partnership": "the other partnership's collecting audit, shaped like ours",
    "locked": "our closed audit: returns submitted, the case ratified, actions complete",
    "draft": "our audit in planning: cases drawn, requests not sent; the ids of what a "
    "planning audit cannot have yet (meeting, themes, actions) are our collecting audit's",
}


def _cells(names, methods, cell, *roles):
    return {(name, method): dict.fromkeys(roles, cell) for name in names for method in methods}


# variant -> (url name, method) -> role -> cell, only where it differs from TABLE and from
# `UNSEEN` (who does not see the variant's audit at all).
DIFFERS: dict[str, dict[tuple[str, str], dict[str, object]]] = {
    "own_agency": {},
    # Children's Social Care's draft: its lead opens and saves it (an empty post carries no
    # version, so it is taken for an edit of an older one and not saved); Police cannot, and
    # Police's people do not see CSC's action.
    "other_agency": {
        ("audits:return", "GET"): {"police_auditor": NOT_FOUND, "agency_lead": OK},
        ("audits:return", "POST"): {"police_auditor": NOT_FOUND, "agency_lead": CONFLICT},
        ("audits:return_autosave", "POST"): {"police_auditor": NOT_FOUND, "agency_lead": CONFLICT},
        ("actions:detail", "GET"): {"police_auditor": NOT_FOUND, "agency_lead": OK},
        ("actions:detail", "POST"): {"police_auditor": NOT_FOUND, "agency_lead": INVALID},
        # Children's Social Care's feedback pack: its lead's, not Police's.
        ("audits:feedback_pdf", "GET"): {"police_auditor": NOT_FOUND, "agency_lead": OK},
    },
    "other_partnership": {},
    # Closed: the details, the move to moderation and the meeting are refused; the involved
    # agencies now read the case summaries (from moderation on). The report stays writable
    # after closing (`write_report` in maca.audits.lifecycle: a new edition can follow), so
    # sending it for approval goes through.
    "locked": {
        **_cells(["audits:edit"], ["GET", "POST"], REDIRECT, "coordinator"),
        # A closed audit can be re-audited: the form (an empty one comes back with its errors).
        **_cells(["audits:reaudit"], ["GET", "POST"], OK, "coordinator"),
        **_cells(
            ["audits:moderation_start", "audits:attendee_remove"], ["POST"], INVALID, "coordinator"
        ),
        **_cells(
            ["audits:case_summaries", "audits:case_summary"],
            ["GET"],
            OK,
            "police_auditor",
            "agency_lead",
        ),
        ("audits:report_send", "POST"): {"coordinator": REDIRECT},
    },
    # Planning: the audit tool and the cases are open (their empty forms come back with their
    # errors at 200), there is nothing to track or moderate yet, and no edition; ids of
    # another audit's meeting, themes and recommendations are not found under it.
    "draft": {
        ("audits:tracking", "GET"): {"coordinator": REDIRECT},
        **_cells(["audits:questions", "audits:questions_copy"], ["POST"], OK, "coordinator"),
        ("audits:question_delete", "GET"): {"coordinator": OK},  # "Are you sure?"
        **_cells(
            ["audits:question_edit", "audits:case_add", "audits:case_swap"],
            ["GET", "POST"],
            OK,
            "coordinator",
        ),
        ("audits:moderation_start", "POST"): {"coordinator": INVALID},
        **_cells(
            [
                "audits:attendee_remove",
                "audits:case_point_remove",
                "audits:theme_edit",
                "audits:theme_delete",
                "audits:case_theme_untag",
                "audits:recommendation_edit",
                "audits:recommendation_delete",
                "audits:action_add",
                "audits:report_edition",
                "audits:edition_files",
                "audits:edition_pdf",
                "audits:edition_docx",
                "audits:edition_json",
            ],
            ["GET", "POST"],
            NOT_FOUND,
            "coordinator",
        ),
        # Nothing published, so no feedback pack to download.
        ("audits:feedback_pdf", "GET"): {"coordinator": NOT_FOUND},
        # ... nor a briefing: nothing to edit (back to its page), no edition or file; the
        # dissemination log's row is another audit's.
        **_cells(["audits:briefing_edit"], ["GET", "POST"], REDIRECT, "coordinator"),
        **_cells(
            ["audits:briefing_edition", "audits:briefing_pdf", "audits:briefing_docx"],
            ["GET"],
            NOT_FOUND,
            "coordinator",
        ),
        **_cells(["audits:dissemination_edit"], ["GET", "POST"], NOT_FOUND, "coordinator"),
        ("audits:dissemination_delete", "POST"): {"coordinator": NOT_FOUND},
        # ... except where the method is refused first: the audit is scoped before the method
        # (`access.audit_view`), the objects within it after.
        **_cells(
            [
                "audits:attendee_remove",
                "audits:case_point_remove",
                "audits:theme_delete",
                "audits:case_theme_untag",
                "audits:recommendation_delete",
            ],
            ["GET"],
            NOT_ALLOWED,
            "coordinator",
        ),
        **_cells(
            [
                "audits:report_edition",
                "audits:edition_pdf",
                "audits:edition_docx",
                "audits:edition_json",
            ],
            ["POST"],
            NOT_ALLOWED,
            "coordinator",
        ),
    },
}

# Who does not see a variant's audit at all (docs/domain.md, maca/access.py): anyone in
# another partnership; in planning, everyone but coordinators (agency users see an audit once
# its requests are sent, the board once it is under way).
UNSEEN = {
    "other_partnership": set(ROLES) - {"other_partnership_coordinator"},
    "draft": {"police_auditor", "health_auditor", "agency_lead", "board_member"},
}


def _names_objects(name: str, variant: str) -> bool:
    """Whether a URL names the variant's objects: its audit's, or for the other partnership
    any of its objects (an action, a library theme, a token)."""
    arguments = set(url_names()[name]) - {"key", "table", "topic"}
    return "audit_id" in arguments if variant == "draft" else bool(arguments)


def expected(name: str, method: str, role: str, variant: str):
    """The cell of a role on a variant's objects. Whoever does not see the variant's audit and
    passes a page's role check gets "not found", exactly as for a missing id (a method refused
    before anything, whoever asks, stays refused); the other partnership's coordinator gets
    what ours gets on ours (the two audits are alike). Then `DIFFERS`."""
    row_ = TABLE[name, method]
    cell = row_[role]
    if variant in UNSEEN and _names_objects(name, variant):
        if variant == "other_partnership" and role == "other_partnership_coordinator":
            cell = row_["coordinator"]
        elif role in UNSEEN[variant] and cell not in (LOGIN, FORBIDDEN):
            cell = NOT_FOUND if row_["anonymous"] != NOT_ALLOWED else cell
    return DIFFERS[variant].get((name, method), {}).get(role, cell)


# Third-party pages, classified as groups: allauth's account pages (public: sign-in, reset)
# and Django's admin (staff only). Spot checks below prove each group's rule.
GROUPS = {
    "account_": "allauth account pages",
    "mfa_": "allauth two-factor pages, for the signed-in (tests/security/test_two_factor.py)",
    "openid_connect_": "signing in through an organisation's provider, public: its start sends "
    "to the sign-in page, its callback answers only a sign-in begun there "
    "(tests/browser/test_single_sign_on.py)",
    "socialaccount_login_": "allauth's pages for a sign-in cancelled or failed at the provider",
    "admin:": "Django admin, staff only",
    "api-v1:": "the REST API, token-authenticated, tested in tests/api",
}


def url_patterns(patterns=None, namespace=""):
    """Every URL pattern, with its name in full ("audits:report"; unnamed ones as
    "<unnamed PATTERN>")."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or f"<unnamed {pattern.pattern}>"), pattern


@functools.cache
def url_names() -> dict[str, list[str]]:
    """Every named URL pattern, with the names of its arguments (walked once: thousands of
    cells ask)."""
    return {name: list(pattern.pattern.converters) for name, pattern in url_patterns()}


# --- The scene: built once per module, undone at its end -----------------------------------


def _member(partnership, role, agency=None, **user):
    return f.MembershipFactory(
        user=f.UserFactory(**user), partnership=partnership, role=role, agency=agency
    ).user


def _collecting_audit(partnership, areas, agencies, title):
    """As the cast's `audit` (tests/conftest.py): Police's submitted return and CSC's requests
    on two cases; with a meeting (an attendee, a point), a published edition (with Police's
    and CSC's feedback packs as PDF), a theme in the library, and a recommendation with
    Police's action."""
    audit = f.AuditFactory(partnership=partnership, title=title, status=AuditStatus.COLLECTING)
    f.QuestionFactory(audit=audit, key="q1", text="Was the child's voice heard?", kind="text")
    first = f.CaseFactory(audit=audit, reference="T-E-01", area=areas["East"])
    second = f.CaseFactory(audit=audit, reference="T-N-01", area=areas["North"])
    f.CandidateFactory(audit=audit, line=2, area=areas["East"], case=first)
    f.CandidateFactory(audit=audit, line=3, area=areas["East"])
    police = agencies["Police"]
    csc = agencies["Children's Social Care"]
    f.ReturnFactory(
        request=f.RequestFactory(case=first, agency=police, status=RequestStatus.SUBMITTED),
        grade="good",
    )
    f.RequestFactory(case=first, agency=csc, status=RequestStatus.OUTSTANDING)
    f.RequestFactory(case=second, agency=csc, status=RequestStatus.OUTSTANDING)
    meeting = f.MeetingFactory(audit=audit)
    f.AttendeeFactory(meeting=meeting)
    f.CasePointFactory(case=first, meeting=meeting)
    theme = f.AuditThemeFactory(
        audit=audit,
        title="Information sharing with GPs",
        library_theme=f.LibraryThemeFactory(partnership=partnership, title="GPs"),
    )
    edition = f.published_report(audit)
    for agency in (police, csc):  # their feedback packs' PDFs; no Word file made yet
        f.feedback_pack_ready(edition, agency)
    # A published learning briefing, and the log's row of where it went (nobody's agency).
    f.dissemination(f.published_briefing(edition), agency=None)
    f.ActionFactory(recommendation=f.RecommendationFactory(audit=audit), agency=police)
    return audit, theme


def _published_yearly_report(partnership, coordinator):
    """A yearly report of the last year, with edition 1 published (bypassing approval)."""
    import datetime

    from django.utils import timezone

    from maca.access import viewer_as
    from maca.yearly.document import document_digest, yearly_document

    today = timezone.localdate()
    report = YearlyReport.objects.create(
        partnership=partnership,
        start=today - datetime.timedelta(days=364),
        end=today,
        created_by=coordinator,
    )
    document = yearly_document(report, viewer_as(coordinator, partnership))
    YearlyEdition.objects.create(
        partnership=partnership,
        report=report,
        number=1,
        document=document,
        digest=document_digest(document),
        published_at=timezone.now(),
    )


def _objects(audit, *, request, action, theme, token) -> dict:
    """What each URL argument names: `request`, its case and agency, the audit's first
    question, the case's candidate, edition 1; `theme`'s audit's meeting attendee and point."""
    case = request.case
    return {
        "audit_id": audit.pk,
        "case_id": case.pk,
        "request_id": request.pk,
        "agency_id": request.agency_id,
        "area_id": case.area_id,
        "question_id": audit.questions.first().pk,
        "candidate_id": case.candidate.pk,
        "theme_id": theme.pk,
        "library_theme_id": theme.library_theme_id,
        "attendee_id": theme.audit.meetings.first().attendees.first().pk,
        "point_id": theme.audit.cases.get(reference="T-E-01").points.first().pk,
        "key": "introduction",
        "table": "calibration",
        "topic": "themes",
        "number": 1,
        "recommendation_id": action.recommendation_id,
        "action_id": action.pk,
        "token_id": token.pk,
        "dissemination_id": theme.audit.disseminations.get().pk,
        "yearly_id": YearlyReport.objects.get(partnership=audit.partnership).pk,
        "section": "summary",
    }


def build():
    ours = f.PartnershipFactory(name="Ourshire Safeguarding Children Partnership")
    theirs = f.PartnershipFactory(name="Elsewhere Safeguarding Children Partnership")
    places = {}
    for partnership in (ours, theirs):
        areas = {
            name: f.AreaFactory(partnership=partnership, name=name, position=i)
            for i, name in enumerate(["East", "North", "Central"])
        }
        agencies = {
            name: f.AgencyFactory(partnership=partnership, name=name, position=i)
            for i, name in enumerate(["Children's Social Care", "Police", "Health Provider"])
        }
        places[partnership] = areas, agencies
    areas, agencies = places[ours]
    police, csc = agencies["Police"], agencies["Children's Social Care"]
    users = {
        "anonymous": None,
        "outsider": f.UserFactory(email="outsider@example.org"),
        "coordinator": _member(ours, Role.COORDINATOR, email="coordinator@example.org"),
        "police_auditor": _member(ours, Role.AGENCY_AUDITOR, police, email="police@example.org"),
        "health_auditor": _member(
            ours, Role.AGENCY_AUDITOR, agencies["Health Provider"], email="health@example.org"
        ),
        "agency_lead": _member(ours, Role.AGENCY_LEAD, csc, email="csc.lead@example.org"),
        "board_member": _member(ours, Role.BOARD_MEMBER, email="board@example.org"),
        "other_partnership_coordinator": _member(
            theirs, Role.COORDINATOR, email="elsewhere@example.org"
        ),
        "admin_user": f.UserFactory(email="admin@example.org", is_staff=True, is_superuser=True),
        "disabled_user": _member(ours, Role.COORDINATOR, email="disabled@example.org"),
    }
    tokens = {
        role: token_create(user=users[role], partnership=partnership, name="Figures script")
        for role, partnership in (
            ("coordinator", ours),
            ("other_partnership_coordinator", theirs),
            ("disabled_user", ours),
        )
    }

    collecting, theme = _collecting_audit(ours, areas, agencies, "Transitions to adult services")
    for partnership, role in ((ours, "coordinator"), (theirs, "other_partnership_coordinator")):
        _published_yearly_report(partnership, users[role])
    first = collecting.cases.get(reference="T-E-01")
    police_request = first.requests.get(agency=police)
    csc_request = first.requests.get(agency=csc)
    csc_request.status = RequestStatus.DRAFT
    csc_request.save()
    f.ReturnFactory(request=csc_request, grade="", good_practice="Half typed")
    csc_action = f.ActionFactory(
        recommendation=f.RecommendationFactory(audit=collecting), agency=csc
    )
    police_action = collecting.actions.get(agency=police)

    elsewhere, their_theme = _collecting_audit(theirs, *places[theirs], "Neglect audit elsewhere")
    their_police = places[theirs][1]["Police"]

    closed, closed_theme = _collecting_audit(ours, areas, agencies, "Missing from home")
    closed_first = closed.cases.get(reference="T-E-01")
    for request in closed.requests.exclude(status=RequestStatus.SUBMITTED):
        request.status = RequestStatus.SUBMITTED
        request.save()
        f.ReturnFactory(request=request, grade="requires_improvement")
    for case in closed.cases.all():
        f.RatificationFactory(case=case, grade="good")
    closed.actions.update(status=ActionStatus.COMPLETE)
    closed.status = AuditStatus.CLOSED
    closed.save()

    planning = f.AuditFactory(
        partnership=ours, title="Neglect in the early years", status=AuditStatus.PLANNING
    )
    f.QuestionFactory(audit=planning, key="q1", kind="text")
    for area in areas.values():
        f.SamplePlanEntryFactory(audit=planning, area=area, cases=5)
    planned = f.CaseFactory(audit=planning, reference="E-01", area=areas["East"])
    f.CandidateFactory(audit=planning, line=2, area=areas["East"], case=planned)
    planned_request = f.RequestFactory(case=planned, agency=police, sent_at=None)
    f.RequestFactory(case=planned, agency=csc, sent_at=None)

    token = tokens["coordinator"][0]
    objects = {
        "own_agency": _objects(
            collecting, request=police_request, action=police_action, theme=theme, token=token
        ),
        "other_agency": _objects(
            collecting, request=csc_request, action=csc_action, theme=theme, token=token
        ),
        "other_partnership": _objects(
            elsewhere,
            request=elsewhere.cases.get(reference="T-E-01").requests.get(agency=their_police),
            action=elsewhere.actions.get(),
            theme=their_theme,
            token=tokens["other_partnership_coordinator"][0],
        ),
        "locked": _objects(
            closed,
            request=closed_first.requests.get(agency=police),
            action=closed.actions.get(),
            theme=closed_theme,
            token=token,
        ),
        "draft": _objects(
            planning, request=planned_request, action=police_action, theme=theme, token=token
        ),
    }
    return users, tokens, objects


def request(client, method, url):
    return client.post(url) if method == "POST" else client.get(url)


def answer(response):
    """What a response is, in the table's terms: LOGIN for a redirect to the sign-in page."""
    got = response.status_code
    location = response.get("Location", "")
    return LOGIN if got == REDIRECT and location.startswith(reverse("account_login")) else got


CELLS = [
    (name, method, role, variant)
    for (name, method), cells in TABLE.items()
    for role in cells
    for variant in VARIANTS
]
COUNTS = {
    "roles": len(ROLES),
    "urls and methods": len(TABLE),
    "variants": len(VARIANTS),
    "cells": len(CELLS),
}


def sampled(name: str, method: str, variant: str) -> bool:
    """The sample requested on the database that does not run every cell: each URL and method,
    every role, on one of the five variants, turning from row to row (a fifth of the cells;
    the same cells on every run and every machine)."""
    turn = zlib.crc32(f"{name} {method}".encode()) % len(VARIANTS)
    return variant == list(VARIANTS)[turn]


# The closed audit's report can still be sent, approved and published as a new edition; and
# its report and briefing still go out after it closes, so its dissemination log is kept.
STAYS_WRITABLE = {"audits:report_send", "audits:dissemination_delete"}
