from django.urls import path

from maca.actions import views_audit, views_recommendations
from maca.meetings import views as meeting_views
from maca.meetings import views_cases as walk_views
from maca.meetings import views_summaries, views_themes
from maca.reports import views as report_views
from maca.reports import views_files, views_pack
from maca.returns import views as return_views

from . import (
    views,
    views_cases,
    views_collecting,
    views_history,
    views_planning,
    views_retention,
)

app_name = "audits"
RETURN = "<int:audit_id>/cases/<int:case_id>/returns/<int:agency_id>/"
QUESTION = "<int:audit_id>/questions/<int:question_id>/"
THEME = "<int:audit_id>/themes/<int:theme_id>/"
CASE_THEMES = "<int:audit_id>/cases/<int:case_id>/themes/"
MEETING = "<int:audit_id>/meeting/"
WALK = "<int:audit_id>/meeting/cases/<int:case_id>/"
REPORT = "<int:audit_id>/report/"
SECTION = f"{REPORT}sections/<slug:key>/"
EDITION = f"{REPORT}editions/<int:number>/"
RECOMMENDATION = "<int:audit_id>/recommendations/<int:recommendation_id>/"
urlpatterns = [
    path("new/", views_planning.audit_create, name="create"),
    path("history/", views_history.history_upload, name="history_upload"),
    path("history/template.xlsx", views_history.history_template, name="history_template"),
    path("<int:audit_id>/", views.audit_detail, name="detail"),
    path("<int:audit_id>/edit/", views_planning.audit_edit, name="edit"),
    path("<int:audit_id>/legal-hold/", views_retention.legal_hold, name="legal_hold"),
    path("<int:audit_id>/questions/", views_planning.audit_questions, name="questions"),
    path(f"{QUESTION}edit/", views_planning.question_edit, name="question_edit"),
    path(f"{QUESTION}delete/", views_planning.question_delete, name="question_delete"),
    path(f"{QUESTION}move/", views_planning.question_move, name="question_move"),
    path("<int:audit_id>/questions/copy/", views_planning.questions_copy, name="questions_copy"),
    path("<int:audit_id>/history/", views.audit_history, name="history"),
    path("<int:audit_id>/report.json", views.audit_report_json, name="report_json"),
    path("<int:audit_id>/cases/", views_cases.audit_cases, name="cases"),
    path("<int:audit_id>/cases/upload/", views_cases.candidates_upload, name="candidates_upload"),
    path("<int:audit_id>/cases/draw/", views_cases.sample_draw, name="sample_draw"),
    path("<int:audit_id>/cases/add/", views_cases.case_add, name="case_add"),
    path("<int:audit_id>/cases/<int:case_id>/swap/", views_cases.case_swap, name="case_swap"),
    path("<int:audit_id>/send/", views_collecting.audit_send, name="send"),
    path("<int:audit_id>/tracking/", views_collecting.audit_tracking, name="tracking"),
    path(
        "<int:audit_id>/tracking/chase/<int:agency_id>/",
        views_collecting.audit_agency_chase,
        name="agency_chase",
    ),
    path("<int:audit_id>/themes/", views_themes.audit_themes, name="themes"),
    path(f"{THEME}edit/", views_themes.theme_edit, name="theme_edit"),
    path(f"{THEME}delete/", views_themes.theme_delete, name="theme_delete"),
    path(CASE_THEMES, views_themes.case_theme_tag, name="case_theme_tag"),
    path(
        f"{CASE_THEMES}<int:theme_id>/remove/",
        views_themes.case_theme_untag,
        name="case_theme_untag",
    ),
    path(
        "<int:audit_id>/moderation/start/",
        meeting_views.moderation_start,
        name="moderation_start",
    ),
    path(MEETING, meeting_views.meeting, name="meeting"),
    path(f"{MEETING}attendees/add/", meeting_views.attendee_add, name="attendee_add"),
    path(
        f"{MEETING}attendees/<int:attendee_id>/remove/",
        meeting_views.attendee_remove,
        name="attendee_remove",
    ),
    path(f"{MEETING}reporting/", meeting_views.reporting_start, name="reporting_start"),
    path(WALK, walk_views.meeting_case, name="meeting_case"),
    path(f"{WALK}ratify/", walk_views.case_ratify, name="case_ratify"),
    path(f"{WALK}unlock/", walk_views.case_unlock, name="case_unlock"),
    path(f"{WALK}points/add/", walk_views.case_point_add, name="case_point_add"),
    path(
        f"{WALK}points/<int:point_id>/remove/",
        walk_views.case_point_remove,
        name="case_point_remove",
    ),
    path(
        f"{WALK}immediate-actions/add/",
        walk_views.immediate_action_add,
        name="immediate_action_add",
    ),
    path("<int:audit_id>/summaries/", views_summaries.audit_case_summaries, name="case_summaries"),
    path(
        "<int:audit_id>/cases/<int:case_id>/summary/",
        views_summaries.case_summary_page,
        name="case_summary",
    ),
    path("<int:audit_id>/meeting-pack/", views_pack.meeting_pack, name="meeting_pack"),
    path(
        "<int:audit_id>/meeting-pack/prepare/",
        views_pack.meeting_pack_request,
        name="meeting_pack_request",
    ),
    path(
        "<int:audit_id>/meeting-pack/download/",
        views_pack.meeting_pack_download,
        name="meeting_pack_download",
    ),
    path(REPORT, report_views.report, name="report"),
    path(SECTION, report_views.report_section, name="report_section"),
    path(f"{SECTION}autosave/", report_views.report_section_autosave, name="report_autosave"),
    path(f"{REPORT}send/", report_views.report_send, name="report_send"),
    path(f"{REPORT}send-back/", report_views.report_send_back, name="report_send_back"),
    path(f"{REPORT}approve/", report_views.report_approve, name="report_approve"),
    path(f"{REPORT}publish/", report_views.report_publish, name="report_publish"),
    path(f"{REPORT}not-a-name/", report_views.report_not_a_name, name="report_not_a_name"),
    path(f"{REPORT}files/", views_files.report_files, name="report_files"),
    path(
        f"{REPORT}files/report.pdf",
        views_files.report_file,
        {"file_format": "pdf"},
        name="report_pdf",
    ),
    path(
        f"{REPORT}files/report.docx",
        views_files.report_file,
        {"file_format": "docx"},
        name="report_docx",
    ),
    path(EDITION, report_views.report_edition, name="report_edition"),
    path(f"{EDITION}files/", views_files.report_files, name="edition_files"),
    path(
        f"{EDITION}files/report.pdf",
        views_files.report_file,
        {"file_format": "pdf"},
        name="edition_pdf",
    ),
    path(
        f"{EDITION}files/report.docx",
        views_files.report_file,
        {"file_format": "docx"},
        name="edition_docx",
    ),
    path(f"{EDITION}report.json", views_files.edition_json, name="edition_json"),
    path(f"{REPORT}dissemination/", views_audit.dissemination, name="dissemination"),
    path(
        "<int:audit_id>/recommendations/",
        views_recommendations.recommendations,
        name="recommendations",
    ),
    path(
        f"{RECOMMENDATION}edit/",
        views_recommendations.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        f"{RECOMMENDATION}delete/",
        views_recommendations.recommendation_delete,
        name="recommendation_delete",
    ),
    path(f"{RECOMMENDATION}actions/add/", views_recommendations.action_add, name="action_add"),
    path("<int:audit_id>/close/", views_audit.audit_close, name="close"),
    path(RETURN, return_views.return_page, name="return"),
    path(f"{RETURN}autosave/", return_views.return_autosave, name="return_autosave"),
    path(f"{RETURN}send-back/", return_views.return_send_back, name="return_send_back"),
    path(
        f"{RETURN}immediate-action/",
        return_views.immediate_action_handle,
        name="immediate_action_handle",
    ),
]
