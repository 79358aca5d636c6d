from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "escape_events.events"
    verbose_name = "Events"

    def ready(self):
        from . import receivers  # noqa: F401  (answers accounts about a person)
