from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "maca.accounts"
    label = "accounts"

    def ready(self):
        # The session limits stamp every sign-in and end a disabled user's sessions.
        from maca import sessions  # noqa: F401
