from django.apps import AppConfig


class OrganisersConfig(AppConfig):
    name = "escape_events.organisers"
    verbose_name = "Organisers"
