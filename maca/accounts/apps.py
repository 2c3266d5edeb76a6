from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "maca.accounts"
    label = "accounts"
