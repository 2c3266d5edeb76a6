from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "maca.front"
    label = "front"
