from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "maca.meetings"
    label = "meetings"
