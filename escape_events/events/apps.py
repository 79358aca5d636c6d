from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "escape_events.events"
    verbose_name = _("Events")

    def ready(self):
        from . import receivers  # noqa: F401  (answers accounts about a person)
