from django.urls import path

from . import views, views_library

app_name = "learning"
urlpatterns: list = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:table>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("dashboard/threshold/", views.threshold, name="threshold"),
    path("dashboard/retention/", views.retention, name="retention"),
    path("dashboard/grade-descriptors/", views.grade_descriptors, name="grade_descriptors"),
    path("dashboard/case-profiles/", views.profile_fields, name="profile_fields"),
    path("dashboard/<slug:topic>/", views.dashboard_topic, name="dashboard_topic"),
    path("themes/", views_library.library, name="library"),
    path("themes/add/", views_library.library_add, name="library_add"),
    path("themes/<int:library_theme_id>/", views_library.library_theme, name="library_theme"),
    path("themes/<int:library_theme_id>/edit/", views_library.library_edit, name="library_edit"),
    path("themes/<int:library_theme_id>/merge/", views_library.library_merge, name="library_merge"),
]
