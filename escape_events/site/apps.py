from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The public site: the pages people find events on and register from, put together from
    the apps below it (events, timetable, registrations) and linking to the other front rooms."""

    name = "escape_events.site"
    label = "site"
    verbose_name = _("Public site")
