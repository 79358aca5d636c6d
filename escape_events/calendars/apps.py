from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "escape_events.calendars"
    verbose_name = "Calendars"
