from django.apps import AppConfig


class LearningConfig(AppConfig):
    """Learning across audits: the theme library, the dashboard, the board's view."""

    name = "maca.learning"
    label = "learning"

    def ready(self):
        from . import warming  # noqa: F401  (its receivers)
