from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "maca.actions"
    label = "actions"
