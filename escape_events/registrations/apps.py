from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "escape_events.registrations"
    verbose_name = "Registrations"

    def ready(self):
        from escape_events.events import pages

        from . import receivers  # noqa: F401  (connects event_changed)
        from .selectors import load_for_page

        pages.load_with_page(load_for_page)  # the registration box's settings and questions
