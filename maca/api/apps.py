from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "maca.api"
    label = "api"

    def ready(self):
        # A new password ends its user's API tokens.
        from . import receivers  # noqa: F401
