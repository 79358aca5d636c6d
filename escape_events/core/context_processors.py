"""Values every template may need."""

from django.conf import settings


def site(request):
    return {"site_name": "escape_events", "site_url": settings.SITE_URL}
