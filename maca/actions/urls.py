from django.urls import path

from . import views, views_action, views_audit, views_recommendations

app_name = "actions"
urlpatterns = [
    path("", views.monitoring, name="monitoring"),
    path("export.csv", views.monitoring_csv, name="monitoring_csv"),
    path("export.docx", views.monitoring_docx, name="monitoring_docx"),
    path("progress/", views.progress, name="progress"),
    path("<int:action_id>/", views_action.action_detail, name="detail"),
    path("<int:action_id>/edit/", views_action.action_edit, name="edit"),
]

# Under an audit (`/audits/<id>/…`), in the namespace `audits`: maca/urls.py gathers them.
REPORT = "<int:audit_id>/report/"
RECOMMENDATION = "<int:audit_id>/recommendations/<int:recommendation_id>/"
audit_urlpatterns = [
    path(f"{REPORT}dissemination/", views_audit.dissemination, name="dissemination"),
    path(
        f"{REPORT}dissemination/<int:dissemination_id>/",
        views_audit.dissemination_edit,
        name="dissemination_edit",
    ),
    path(
        f"{REPORT}dissemination/<int:dissemination_id>/delete/",
        views_audit.dissemination_delete,
        name="dissemination_delete",
    ),
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
]
