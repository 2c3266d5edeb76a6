# The partnership's agencies: who hears from maca at each (the outbox's other side: urls.py).
from django.urls import path

from . import views_agencies

app_name = "agencies"
urlpatterns = [
    path("", views_agencies.agencies, name="list"),
    path("<int:agency_id>/contact/", views_agencies.agency_contact, name="contact"),
]
