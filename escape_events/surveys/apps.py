from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "escape_events.surveys"
    verbose_name = "Feedback surveys"

    def ready(self):
        from . import receivers  # noqa: F401  (survey answers follow the registrations' purge)
