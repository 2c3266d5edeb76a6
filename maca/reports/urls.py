from django.urls import path

from . import (
    views,
    views_answers,
    views_briefing,
    views_comparison,
    views_feedback,
    views_files,
    views_names,
    views_pack,
)

urlpatterns = [
    path("names-to-catch/", views_names.names_to_catch, name="names_to_catch"),
]

# Under an audit (`/audits/<id>/…`), in the namespace `audits`: maca/urls.py gathers them.
REPORT = "<int:audit_id>/report/"
SECTION = f"{REPORT}sections/<slug:key>/"
EDITION = f"{REPORT}editions/<int:number>/"
audit_urlpatterns = [
    path("<int:audit_id>/answers/", views_answers.audit_answers, name="answers"),
    path("<int:audit_id>/answers.csv", views_answers.audit_answers_csv, name="answers_csv"),
    path("<int:audit_id>/comparison/", views_comparison.audit_comparison, name="comparison"),
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
    path(REPORT, views.report, name="report"),
    path(SECTION, views.report_section, name="report_section"),
    path(f"{SECTION}autosave/", views.report_section_autosave, name="report_autosave"),
    path(f"{REPORT}charts/", views.report_charts, name="report_charts"),
    path(f"{REPORT}send/", views.report_send, name="report_send"),
    path(f"{REPORT}send-back/", views.report_send_back, name="report_send_back"),
    path(f"{REPORT}approve/", views.report_approve, name="report_approve"),
    path(f"{REPORT}publish/", views.report_publish, name="report_publish"),
    path(f"{REPORT}not-a-name/", views.report_not_a_name, name="report_not_a_name"),
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
    path(EDITION, views.report_edition, name="report_edition"),
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
    # Each agency's feedback pack on the latest published edition.
    path("<int:audit_id>/feedback/", views_feedback.feedback, name="feedback"),
    path(
        "<int:audit_id>/feedback/prepare/",
        views_feedback.feedback_prepare,
        name="feedback_prepare",
    ),
    *(
        path(
            f"<int:audit_id>/feedback/<int:agency_id>/{extension}",
            views_feedback.feedback_file,
            {"file_format": extension},
            name=f"feedback_{extension}",
        )
        for extension in ("pdf", "docx")
    ),
    # The learning briefing, drafted from the published report (decision 71).
    path("<int:audit_id>/briefing/", views_briefing.briefing, name="briefing"),
    path("<int:audit_id>/briefing/draft/", views_briefing.briefing_draft, name="briefing_draft"),
    path("<int:audit_id>/briefing/edit/", views_briefing.briefing_edit, name="briefing_edit"),
    path(
        "<int:audit_id>/briefing/publish/",
        views_briefing.briefing_publish,
        name="briefing_publish",
    ),
    path(
        "<int:audit_id>/briefing/editions/<int:number>/",
        views_briefing.briefing_edition,
        name="briefing_edition",
    ),
    *(
        path(
            f"<int:audit_id>/briefing/editions/<int:number>/briefing.{extension}",
            views_briefing.briefing_file,
            {"file_format": extension},
            name=f"briefing_{extension}",
        )
        for extension in ("pdf", "docx")
    ),
]
