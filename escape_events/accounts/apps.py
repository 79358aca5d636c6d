from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "escape_events.accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import receivers  # noqa: F401  (group sync at login, the cached privacy notice)
