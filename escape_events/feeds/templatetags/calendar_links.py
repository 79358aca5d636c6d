"""The "Add to calendar" panel: download, webcal:// subscription and Google Calendar by URL."""

from urllib.parse import quote

from django import template
from django.utils.translation import gettext as _

from escape_events.events.models import Kind

register = template.Library()

GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/render?cid="


def subscription_links(origin: str, path: str) -> dict[str, str]:
    """Links for one feed path: the file itself, webcal:// for desktop clients, Google's form."""
    webcal = "webcal://" + (origin + path).split("://", 1)[1]
    return {
        "download": path,
        "webcal": webcal,
        "google": GOOGLE_ADD_BY_URL + quote(webcal, safe=""),
    }


@register.filter
def site_origin(request) -> str:
    """Scheme and host the page was asked at: where subscription links send calendars."""
    return f"{request.scheme}://{request.get_host()}"


@register.inclusion_tag("feeds/add_to_calendar.html", takes_context=True)
def add_to_calendar(context, path, *, what="", also_path="", also_label="", origin=""):
    """The panel for `path`; `also_path` offers a wider feed (the series, all events) too.
    `what` and `also_label` are said inside a sentence ("Subscribe to <what>"), translated.
    `origin` (`site_origin`) is the request's, given where the panel is rendered without it."""
    origin = origin or site_origin(context["request"])
    return {
        # Translators: inside "Subscribe to %(what)s" and "Add %(what)s to Google Calendar".
        "what": what or _("this event"),
        "links": subscription_links(origin, path),
        "also": subscription_links(origin, also_path) if also_path else None,
        "also_label": also_label,
    }


@register.simple_tag
def feed_kinds():
    """The kinds of event that have their own feed."""
    return Kind.choices
