from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "escape_events.registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from . import receivers  # noqa: F401  (connects event_changed)
