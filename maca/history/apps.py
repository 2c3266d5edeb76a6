from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "maca.history"
    label = "history"

    def ready(self) -> None:
        from .tracking import connect_signals

        connect_signals()
