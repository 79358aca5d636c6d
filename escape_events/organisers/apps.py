from django.apps import AppConfig


class OrganisersConfig(AppConfig):
    name = "escape_events.organisers"
    verbose_name = "Organisers"

    def ready(self):
        from django.urls import reverse

        from escape_events.registrations.checkin import register_scan_page

        from . import receivers  # noqa: F401  (the menu's cached organiser check is forgotten)

        # Ticket QR codes lead to our check-in page; registrations cannot name our URLs.
        register_scan_page(lambda code: reverse("organisers:scan", kwargs={"code": code}))
