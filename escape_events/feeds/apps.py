from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "escape_events.feeds"
    verbose_name = "Feeds"

    def ready(self):
        from . import receivers  # noqa: F401  (answers accounts about a person)
