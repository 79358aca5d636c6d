from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "escape_events.api"
    label = "api"
    verbose_name = "JSON API"

    def ready(self):
        from . import receivers  # noqa: F401  (answers accounts about a person)
