from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "escape_events.feeds"
    verbose_name = "Feeds"
