from django.urls import path

from . import views_cases, views_collecting, views_planning, views_programme

# Under `/audits/`, in the namespace `audits`, with the other apps' pages of an audit:
# maca/urls.py gathers them.
QUESTION = "<int:audit_id>/questions/<int:question_id>/"
audit_urlpatterns = [
    path("new/", views_planning.audit_create, name="create"),
    path("programme/", views_programme.programme, name="programme"),
    path("<int:audit_id>/edit/", views_planning.audit_edit, name="edit"),
    path("<int:audit_id>/reaudit/", views_planning.reaudit_plan, name="reaudit"),
    path("<int:audit_id>/questions/", views_planning.audit_questions, name="questions"),
    path(f"{QUESTION}edit/", views_planning.question_edit, name="question_edit"),
    path(f"{QUESTION}delete/", views_planning.question_delete, name="question_delete"),
    path(f"{QUESTION}move/", views_planning.question_move, name="question_move"),
    path("<int:audit_id>/questions/copy/", views_planning.questions_copy, name="questions_copy"),
    path("<int:audit_id>/cases/", views_cases.audit_cases, name="cases"),
    path("<int:audit_id>/cases/upload/", views_cases.candidates_upload, name="candidates_upload"),
    path("<int:audit_id>/cases/draw/", views_cases.sample_draw, name="sample_draw"),
    path("<int:audit_id>/cases/add/", views_cases.case_add, name="case_add"),
    path("<int:audit_id>/cases/<int:case_id>/swap/", views_cases.case_swap, name="case_swap"),
    path(
        "<int:audit_id>/cases/<int:case_id>/profile/", views_cases.case_profile, name="case_profile"
    ),
    path("<int:audit_id>/send/", views_collecting.audit_send, name="send"),
    path("<int:audit_id>/tracking/", views_collecting.audit_tracking, name="tracking"),
    path(
        "<int:audit_id>/tracking/chase/<int:agency_id>/",
        views_collecting.audit_agency_chase,
        name="agency_chase",
    ),
]
