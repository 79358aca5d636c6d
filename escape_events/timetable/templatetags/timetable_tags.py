"""The agenda on event, meeting and series pages (the events app's templates load these)."""

from django import template
from django.utils import dateformat
from django.utils.html import format_html

from escape_events.events.when import DAY_IN_YEAR, clock_text

from ..access import ANONYMOUS
from ..minutes import minutes_of
from ..selectors import agenda_for
from ..selectors import recent_agendas as recent_agendas_of

register = template.Library()


@register.inclusion_tag("timetable/agenda.html")
def timetable(event, heading_level=2, feed="", reader=ANONYMOUS):
    """The event's timetable by day, with speakers, and the materials `reader` may see (the
    page's cache varies on `reader.key`); nothing when it has none.
    `feed`: the address of its calendar feed, named by the page (feeds sits above timetable)."""
    agenda = agenda_for(event, reader=reader, with_minutes=True)
    return {"agenda": agenda, "event": event, "level": heading_level, "feed": feed}


@register.simple_tag
def meeting_minutes(event):
    """The minutes of the whole meeting (not of one agenda item), or None."""
    return minutes_of(event)


@register.inclusion_tag("timetable/recent_agendas.html")
def recent_agendas(series, limit=5):
    return {"agendas": recent_agendas_of(series, limit), "series": series}


@register.simple_tag
def clock(item):
    """'14:00–14:20' in the event's zone; the page's script adds the visitor's own time."""
    start, end = item.local_start, item.local_end
    return format_html(
        '<time class="when" data-clock="1" datetime="{}" data-start="{}" data-end="{}"'
        ' data-all-day="0" data-zone="{}">{}–{}</time>',
        start.isoformat(),
        item.start.isoformat(),
        item.end.isoformat(),
        item.time_zone,
        clock_text(start),
        clock_text(end),
    )


@register.filter
def long_day(day):
    return dateformat.format(day, "l j F Y")


@register.filter
def short_day(day):
    return dateformat.format(day, DAY_IN_YEAR)


@register.filter
def start_clock(item):
    """'14:00' in the item's own zone (Django's time filter would use the site's zone)."""
    return clock_text(item.local_start)
