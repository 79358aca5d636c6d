from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "escape_events.feeds"
    verbose_name = _("Calendar feeds")

    def ready(self):
        from . import receivers  # noqa: F401  (answers accounts about a person)
