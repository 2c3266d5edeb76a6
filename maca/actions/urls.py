from django.urls import path

from . import views, views_action

app_name = "actions"
urlpatterns = [
    path("", views.monitoring, name="monitoring"),
    path("export.csv", views.monitoring_csv, name="monitoring_csv"),
    path("export.docx", views.monitoring_docx, name="monitoring_docx"),
    path("<int:action_id>/", views_action.action_detail, name="detail"),
    path("<int:action_id>/edit/", views_action.action_edit, name="edit"),
]
