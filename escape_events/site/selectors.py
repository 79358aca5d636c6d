"""Reads for the public pages that combine what several apps know."""

from escape_events.core import content_version
from escape_events.events.models import Event
from escape_events.events.selectors import events_for_page
from escape_events.registrations.selectors import with_registration_settings


def event_for_page(slug: str) -> Event | None:
    """The event of an event page in one statement: its venue and series, its registration
    settings (what the registration box reads), and the tokens of its content version
    (site/caching.py keys the page's cached blocks on them)."""
    events = with_registration_settings(content_version.with_event_tokens(events_for_page()))
    return events.filter(slug=slug).first()
