from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("", views.agencies, name="list"),
    path("<int:agency_id>/contact/", views.agency_contact, name="contact"),
]
