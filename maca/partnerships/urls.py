from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("areas-and-agencies/", views.areas_and_agencies, name="areas_and_agencies"),
    path("areas-and-agencies/areas/<int:area_id>/", views.area_edit, name="area_edit"),
    path("areas-and-agencies/agencies/<int:agency_id>/", views.agency_edit, name="agency_edit"),
]
