from django.urls import path

from . import views

# Past audits from the Excel template: under `/audits/`, in the namespace `audits` (maca/urls.py).
audit_urlpatterns = [
    path("history/", views.history_upload, name="history_upload"),
    path("history/template.xlsx", views.history_template, name="history_template"),
]
