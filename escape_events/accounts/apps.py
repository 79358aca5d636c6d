from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "escape_events.accounts"
    verbose_name = "Accounts"
