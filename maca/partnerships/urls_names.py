from django.urls import path

from . import views_names

# The names of areas and agencies (who hears from maca at each agency: notices/urls_agencies.py).
app_name = "partnerships"
urlpatterns = [
    path("areas-and-agencies/", views_names.areas_and_agencies, name="areas_and_agencies"),
    path("areas-and-agencies/areas/<int:area_id>/", views_names.area_edit, name="area_edit"),
    path(
        "areas-and-agencies/agencies/<int:agency_id>/", views_names.agency_edit, name="agency_edit"
    ),
]
