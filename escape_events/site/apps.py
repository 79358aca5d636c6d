from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The public site: the pages people find events on and register from, put together from
    the apps below it (events, timetable, registrations) and linking to the other front rooms."""

    name = "escape_events.site"
    label = "site"
    verbose_name = "Public site"
