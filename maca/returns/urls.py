from django.urls import path

from . import views

app_name = "requests"
urlpatterns = [
    path("", views.my_requests, name="mine"),
]
