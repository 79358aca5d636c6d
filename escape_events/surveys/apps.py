from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "escape_events.surveys"
    verbose_name = _("Feedback surveys")

    def ready(self):
        from . import receivers  # noqa: F401  (survey answers follow the registrations' purge)
