from django.urls import path

from . import views, views_cases, views_summaries, views_themes

# Under an audit (`/audits/<id>/…`), in the namespace `audits`: maca/urls.py gathers them.
THEME = "<int:audit_id>/themes/<int:theme_id>/"
CASE_THEMES = "<int:audit_id>/cases/<int:case_id>/themes/"
MEETING = "<int:audit_id>/meeting/"
WALK = "<int:audit_id>/meeting/cases/<int:case_id>/"
audit_urlpatterns = [
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
        views.moderation_start,
        name="moderation_start",
    ),
    path(MEETING, views.meeting, name="meeting"),
    path(f"{MEETING}attendees/add/", views.attendee_add, name="attendee_add"),
    path(
        f"{MEETING}attendees/<int:attendee_id>/remove/",
        views.attendee_remove,
        name="attendee_remove",
    ),
    path(f"{MEETING}reporting/", views.reporting_start, name="reporting_start"),
    path(f"{MEETING}no-returns/", views_cases.cases_without_returns, name="cases_without_returns"),
    path(WALK, views_cases.meeting_case, name="meeting_case"),
    path(f"{WALK}ratify/", views_cases.case_ratify, name="case_ratify"),
    path(f"{WALK}unlock/", views_cases.case_unlock, name="case_unlock"),
    path(f"{WALK}points/add/", views_cases.case_point_add, name="case_point_add"),
    path(
        f"{WALK}points/<int:point_id>/remove/",
        views_cases.case_point_remove,
        name="case_point_remove",
    ),
    path(
        f"{WALK}immediate-actions/add/",
        views_cases.immediate_action_add,
        name="immediate_action_add",
    ),
    path("<int:audit_id>/summaries/", views_summaries.audit_case_summaries, name="case_summaries"),
    path(
        "<int:audit_id>/cases/<int:case_id>/summary/",
        views_summaries.case_summary_page,
        name="case_summary",
    ),
]
