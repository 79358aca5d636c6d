"""Values every template may need."""

from django.conf import settings


def site(request):
    return {
        "site_name": "escape_events",
        "site_url": settings.SITE_URL,
        # Each language named in its own language, as the header's switcher lists them (Django's
        # get_available_languages would translate the names into the page's language).
        "site_languages": settings.LANGUAGES,
    }
