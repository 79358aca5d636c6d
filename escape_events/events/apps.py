from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "escape_events.events"
    verbose_name = "Events"
