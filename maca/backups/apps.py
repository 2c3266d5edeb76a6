from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "maca.backups"
    label = "backups"
