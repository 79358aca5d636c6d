"""Show when something happens, in its own time zone with the abbreviation (CET/CEST)."""

import zoneinfo

from django import template
from django.utils.html import format_html

from escape_events.events.when import date_text, describe_moment, describe_span

register = template.Library()


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


@register.filter
def span(item) -> str:
    """The span as plain text, for mails and printouts: 'Mon 25 Jan 2027, 14:00–17:30 CET'."""
    return describe_span(item)


@register.simple_tag
def moment(value, zone_name: str):
    """One moment in the event's zone: 'Fri 15 Jan 2027, 14:00 CET', as a <time> element."""
    local = value.astimezone(zoneinfo.ZoneInfo(zone_name))
    text = describe_moment(value, zone_name)
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), text)


@register.simple_tag
def moment_text(value, zone_name: str) -> str:
    """The same moment as plain text, for mails: 'Fri 15 Jan 2027, 14:00 CET'."""
    return describe_moment(value, zone_name)


@register.filter
def day_date(value) -> str:
    """A date without its weekday in the reader's language: '25 Jan 2027', '25 janv. 2027'."""
    return date_text(value)
