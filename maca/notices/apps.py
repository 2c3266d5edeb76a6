from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "maca.notices"
    verbose_name = "Notices (e-mail)"
