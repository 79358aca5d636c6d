"""The one module that knows iCalendar (RFC 5545)."""

from collections.abc import Iterable

from icalendar import Calendar
from icalendar import Event as VEvent

from escape_events.events.models import Event

PRODID = "-//escape_events//Event calendar//EN"


def build_calendar(events: Iterable[Event], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    for event in events:
        component = VEvent()
        component.add("uid", f"event-{event.pk}@escape-events")
        component.add("dtstamp", event.updated_at)
        component.add("dtstart", event.local_start)
        component.add("dtend", event.local_end)
        component.add("summary", event.title)
        calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical()
