"""The agenda on event, meeting and series pages (the events app's templates load these)."""

from django import template
from django.utils.html import format_html, format_html_join

from escape_events.events.when import clock_text, day_in_year_text, long_day_text

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
    """'Tuesday 15 October 2019' in the reader's language."""
    return long_day_text(day)


@register.filter
def short_day(day):
    """'Tue 15 Oct' in the reader's language."""
    return day_in_year_text(day)


@register.filter
def start_clock(item):
    """'14:00' in the item's own zone (Django's time filter would use the site's zone)."""
    return clock_text(item.local_start)


class HeadingNode(template.Node):
    def __init__(self, level, attributes, nodelist):
        self.level, self.attributes, self.nodelist = level, attributes, nodelist

    def render(self, context):
        level = min(max(int(self.level.resolve(context)), 1), 6)
        attributes = format_html_join(
            "", ' {}="{}"', ((name, value.resolve(context)) for name, value in self.attributes)
        )
        return format_html(
            "<h{}{}>{}</h{}>", level, attributes, self.nodelist.render(context), level
        )


@register.tag
def heading(parser, token):
    """`{% heading level id="…" class="…" %}…{% endheading %}`: an <h2>…<h6> whose level the
    including page decides (the agenda sits under an h1 on one page, an h2 on another)."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("heading needs a level")
    level = parser.compile_filter(bits[0])
    attributes = []
    for bit in bits[1:]:
        name, _, value = bit.partition("=")
        attributes.append((name, parser.compile_filter(value)))
    nodelist = parser.parse(("endheading",))
    parser.delete_first_token()
    return HeadingNode(level, attributes, nodelist)
