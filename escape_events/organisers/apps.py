from django.apps import AppConfig


class OrganisersConfig(AppConfig):
    name = "escape_events.organisers"
    verbose_name = "Organisers"

    def ready(self):
        from . import receivers  # noqa: F401  (the menu's cached organiser check is forgotten)
