from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "maca.demo"
    label = "demo"
    verbose_name = "the demo"
