from django.urls import path

from . import views

app_name = "yearly"
REPORT = "<int:yearly_id>/"
EDITION = f"{REPORT}editions/<int:number>/"
urlpatterns = [
    path("", views.yearly_reports, name="list"),
    path("new/", views.yearly_report_new, name="new"),
    path(REPORT, views.yearly_report, name="report"),
    path(f"{REPORT}sections/<slug:section>/", views.yearly_section, name="section"),
    path(f"{REPORT}send/", views.yearly_report_send, name="send"),
    path(f"{REPORT}approve/", views.yearly_report_approve, name="approve"),
    path(f"{REPORT}publish/", views.yearly_report_publish, name="publish"),
    *(
        path(
            f"{REPORT}report.{ext}",
            views.yearly_report_file,
            {"file_format": ext},
            name=f"report_{ext}",
        )
        for ext in ("pdf", "docx")
    ),
    path(EDITION, views.yearly_edition, name="edition"),
    *(
        path(
            f"{EDITION}report.{ext}",
            views.yearly_edition_file,
            {"file_format": ext},
            name=f"edition_{ext}",
        )
        for ext in ("pdf", "docx")
    ),
]
