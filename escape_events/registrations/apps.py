from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "escape_events.registrations"
    verbose_name = "Registrations"

    def ready(self):
        from . import receivers  # noqa: F401  (connects event_changed)
