from django.urls import path

from maca.reports import views_names

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("partnership/", views.switch_partnership, name="switch_partnership"),
    path("healthz", views.healthz, name="healthz"),
    path("names-to-catch/", views_names.names_to_catch, name="names_to_catch"),
]
