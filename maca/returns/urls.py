from django.urls import path

from . import views

app_name = "requests"
urlpatterns = [
    path("", views.my_requests, name="mine"),
]

# Under an audit (`/audits/<id>/…`), in the namespace `audits`: maca/urls.py gathers them.
RETURN = "<int:audit_id>/cases/<int:case_id>/returns/<int:agency_id>/"
audit_urlpatterns = [
    path(RETURN, views.return_page, name="return"),
    path(f"{RETURN}autosave/", views.return_autosave, name="return_autosave"),
    path(f"{RETURN}send-back/", views.return_send_back, name="return_send_back"),
    path(
        f"{RETURN}immediate-action/",
        views.immediate_action_handle,
        name="immediate_action_handle",
    ),
]
