from django.urls import path

from . import views

app_name = "audits"
urlpatterns = [
    path("<int:audit_id>/", views.audit_detail, name="detail"),
    path("<int:audit_id>/history/", views.audit_history, name="history"),
    path("<int:audit_id>/report.json", views.audit_report_json, name="report_json"),
]
