from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("partnership/", views.switch_partnership, name="switch_partnership"),
    path("healthz", views.healthz, name="healthz"),
]
