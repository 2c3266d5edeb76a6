from django.urls import path

from . import views, views_audit, views_retention

urlpatterns = [
    path("", views.home, name="home"),
    path("partnership/", views.switch_partnership, name="switch_partnership"),
    path("healthz", views.healthz, name="healthz"),
]

# The audit's own page (the hub of its pages, and its legal hold), its change history and its
# figures as JSON: under `/audits/`, in the namespace `audits` (maca/urls.py).
audit_urlpatterns = [
    path("<int:audit_id>/", views_audit.audit_detail, name="detail"),
    path("<int:audit_id>/legal-hold/", views_retention.legal_hold, name="legal_hold"),
    path("<int:audit_id>/history/", views_audit.audit_history, name="history"),
    path("<int:audit_id>/report.json", views_audit.audit_report_json, name="report_json"),
]
