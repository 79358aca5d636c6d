"""The "Add to calendar" panel: download, webcal:// subscription and Google Calendar by URL."""

from urllib.parse import quote

from django import template

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
def add_to_calendar(context, path, *, what="this event", also_path="", also_label="", origin=""):
    """The panel for `path`; `also_path` offers a wider feed (the series, all events) too.
    `origin` (`site_origin`) is the request's, given where the panel is rendered without it."""
    origin = origin or site_origin(context["request"])
    return {
        "what": what,
        "links": subscription_links(origin, path),
        "also": subscription_links(origin, also_path) if also_path else None,
        "also_label": also_label,
    }


@register.simple_tag
def feed_kinds():
    """The kinds of event that have their own feed."""
    return Kind.choices
