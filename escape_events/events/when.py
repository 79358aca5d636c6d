"""When something happens, in words, in its own time zone: the one place that writes a span.

Mails, reminders, calendar descriptions, printouts and pages all call `describe_span`, so an
event reads the same everywhere. Weekday and month names come from Django's date formatting and
follow the active language; the zone abbreviation (CET/CEST) is the one in force at that moment.
"""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.utils import dateformat

DAY = "D j M Y"  # Mon 25 Jan 2027
DAY_IN_YEAR = "D j M"  # Mon 25 Jan
DAY_IN_MONTH = "D j"  # Mon 25
CLOCK = "H:i"


def day_text(day: date | datetime) -> str:
    """'Mon 25 Jan 2027'."""
    return dateformat.format(day, DAY)


def clock_text(moment: datetime) -> str:
    """'14:00', as the wall clock in the moment's own zone shows it."""
    return dateformat.format(moment, CLOCK)


def _zone(moment: datetime) -> str:
    return moment.tzname() or ""


def _days(first: date, last: date) -> str:
    """An inclusive range of days, the shared month and year said once: 'Mon 25 – Wed 27 Jan
    2027', 'Sat 30 Jan – Mon 1 Feb 2027', 'Thu 30 Dec 2027 – Sat 1 Jan 2028'."""
    if last <= first:
        return day_text(first)
    if (first.year, first.month) == (last.year, last.month):
        head = dateformat.format(first, DAY_IN_MONTH)
    elif first.year == last.year:
        head = dateformat.format(first, DAY_IN_YEAR)
    else:
        head = day_text(first)
    return f"{head} – {day_text(last)}"


def _ends_same_day(start: datetime, end: datetime) -> bool:
    """A timed span that ends on its first day, or at the midnight closing it (20:00–00:00)."""
    if end.date() == start.date():
        return True
    return end.time() == time(0) and end.date() == start.date() + timedelta(days=1)


def describe_span(item) -> str:
    """The span of an event, meeting or agenda entry (anything with `local_start`, `local_end`
    and optionally `all_day`), in its own zone:

    - same day: 'Mon 25 Jan 2027, 14:00–17:30 CET'
    - several days: 'Mon 25 Jan 2027, 09:00 – Wed 27 Jan 2027, 17:30 CET'
    - all day, whose stored end is the exclusive midnight after the last day:
      'Mon 25 Jan 2027' or 'Mon 25 – Wed 27 Jan 2027'

    When the zone's abbreviation changes within the span (summer time began), both are named.
    """
    start, end = item.local_start, item.local_end
    if getattr(item, "all_day", False):
        return _days(start.date(), (end - timedelta(days=1)).date())
    first_zone, last_zone = _zone(start), _zone(end)
    opening = clock_text(start)
    if first_zone != last_zone:
        opening += f" {first_zone}"
    if _ends_same_day(start, end):
        return f"{day_text(start)}, {opening}–{clock_text(end)} {last_zone}"
    return f"{day_text(start)}, {opening} – {day_text(end)}, {clock_text(end)} {last_zone}"


def describe_moment(value: datetime, zone_name: str) -> str:
    """One moment in a zone: 'Fri 15 Jan 2027, 14:00 CET'."""
    local = value.astimezone(zoneinfo.ZoneInfo(zone_name))
    return f"{day_text(local)}, {clock_text(local)} {_zone(local)}"


def describe_start(item, now: datetime) -> str:
    """When something begins, seen from `now`, for reminders: 'today at 14:00 CET',
    'tomorrow, Mon 25 Jan 2027 at 14:00 CET', 'in 7 days, on Mon 1 Feb 2027 at 14:00 CET'
    (an all-day event names its day only). Never "soon": the reader learns the day and hour."""
    start = item.local_start
    days = (start.date() - now.astimezone(start.tzinfo).date()).days
    at = "" if getattr(item, "all_day", False) else f" at {clock_text(start)} {_zone(start)}"
    if days <= 0:
        return f"today{at}"
    if days == 1:
        return f"tomorrow, {day_text(start)}{at}"
    return f"in {days} days, on {day_text(start)}{at}"
