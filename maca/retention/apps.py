from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "maca.retention"
    label = "retention"
