from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "escape_events.api"
    label = "api"
    verbose_name = "JSON API"

    def ready(self):
        from escape_events.accounts.links import add_account_link

        from . import receivers  # noqa: F401  (answers accounts about a person)

        add_account_link(label="API tokens", url_name="api_tokens:list")
