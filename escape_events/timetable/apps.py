from django.apps import AppConfig


class TimetableConfig(AppConfig):
    name = "escape_events.timetable"
    verbose_name = "Timetable"

    def ready(self):
        from . import receivers  # noqa: F401  (moves the agenda with its event; privacy answers)
