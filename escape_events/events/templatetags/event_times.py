"""Show when something happens, in its own time zone with the abbreviation (CET/CEST)."""

import zoneinfo
from datetime import timedelta

from django import template
from django.utils.html import format_html

register = template.Library()


def _day(moment) -> str:
    return f"{moment:%a} {moment.day} {moment:%b %Y}"


def describe_span(item) -> str:
    """'Wed 25 Sep 2019, 14:00–15:30 CEST' or 'Mon 14 – Wed 16 Oct 2019' for all-day spans."""
    start, end = item.local_start, item.local_end
    if getattr(item, "all_day", False):
        last = end - timedelta(days=1)
        if last.date() <= start.date():
            return _day(start)
        return f"{_day(start)} – {_day(last)}"
    if start.date() == end.date():
        return f"{_day(start)}, {start:%H:%M}–{end:%H:%M} {start:%Z}"
    return f"{_day(start)} {start:%H:%M} {start:%Z} – {_day(end)} {end:%H:%M} {end:%Z}"


@register.simple_tag
def when(item):
    """A <time> element; the page's script adds the visitor's local time next to it."""
    all_day = getattr(item, "all_day", False)
    return format_html(
        '<time class="when" datetime="{}" data-start="{}" data-end="{}" data-all-day="{}"'
        ' data-zone="{}">{}</time>',
        item.local_start.isoformat(),
        item.start.isoformat(),
        item.end.isoformat(),
        "1" if all_day else "0",
        item.time_zone,
        describe_span(item),
    )


@register.simple_tag
def moment(value, zone_name: str):
    """One moment in the event's zone: 'Fri 15 Jan 2027, 14:00 CET', as a <time> element."""
    local = value.astimezone(zoneinfo.ZoneInfo(zone_name))
    return format_html(
        '<time datetime="{}">{}, {}</time>', local.isoformat(), _day(local), f"{local:%H:%M %Z}"
    )
