"""When something happens, in words, in its own time zone: the one place that writes a span.

Mails, reminders, calendar descriptions, printouts and pages all call `describe_span`, so an
event reads the same everywhere. Everything follows the active language: English keeps the house
style written with Django's date formats ('Mon 25 Jan 2027'); other languages take CLDR's
patterns through Babel ('lun. 25 janv. 2027', 'Mo., 25. Jan. 2027'), whose ranges say the shared
month and year once. The zone abbreviation (CET/CEST) is the one in force at that moment.
"""

import zoneinfo
from datetime import date, datetime, time, timedelta

from babel.dates import format_date, format_interval, format_skeleton, get_datetime_format
from babel.lists import format_list
from django.conf import settings
from django.utils import dateformat, translation
from django.utils.translation import gettext, ngettext

DAY = "D j M Y"  # Mon 25 Jan 2027
DAY_IN_YEAR = "D j M"  # Mon 25 Jan
DAY_IN_MONTH = "D j"  # Mon 25
DATE = "j M Y"  # 25 Jan 2027
LONG_DAY = "l j F Y"  # Monday 25 January 2027
DAY_OF_YEAR = "j F"  # 25 January
CLOCK = "H:i"

# CLDR skeletons for the same things in other languages (Babel picks each language's order).
SKELETON_DAY = "yMMMEd"
SKELETON_DATE = "yMMMd"
SKELETON_DAY_OF_YEAR = "MMMMd"
SKELETON_DAY_IN_YEAR = "MMMEd"


def babel_locale() -> str:
    """The active language as a Babel locale name ('en-gb' -> 'en_GB')."""
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


def _english() -> bool:
    return babel_locale().startswith("en")


def _as_date(day: date | datetime) -> date:
    return day.date() if isinstance(day, datetime) else day


def _format(day: date | datetime, house: str, skeleton: str) -> str:
    if _english():
        return dateformat.format(day, house)
    return format_skeleton(skeleton, _as_date(day), locale=babel_locale())


def day_text(day: date | datetime) -> str:
    """'Mon 25 Jan 2027', 'lun. 25 janv. 2027'."""
    return _format(day, DAY, SKELETON_DAY)


def date_text(day: date | datetime) -> str:
    """'25 Jan 2027', '25. Jan. 2027': a date without its weekday."""
    return _format(day, DATE, SKELETON_DATE)


def long_day_text(day: date | datetime) -> str:
    """'Monday 25 January 2027', 'lundi 25 janvier 2027', for certificates and letters."""
    if _english():
        return dateformat.format(day, LONG_DAY)
    return format_date(_as_date(day), "full", locale=babel_locale())


def day_of_year_text(day: date | datetime) -> str:
    """'25 January', '25 janvier', '25. Januar', '25 de enero'."""
    return _format(day, DAY_OF_YEAR, SKELETON_DAY_OF_YEAR)


def day_in_year_text(day: date | datetime) -> str:
    """'Tue 5 Mar', 'mar. 5 mars', 'Di., 5. März': a day within its year (agendas)."""
    return _format(day, DAY_IN_YEAR, SKELETON_DAY_IN_YEAR)


def clock_text(moment: datetime) -> str:
    """'14:00', as the wall clock in the moment's own zone shows it."""
    return dateformat.format(moment, CLOCK)


def day_and_clock_text(moment: datetime) -> str:
    """'Tue 5 Mar 14:00', 'mar. 5 mars, 14:00': a day within its year and its wall clock in the
    moment's own zone; other languages join the two as CLDR says ('{1}, {0}')."""
    if _english():
        return f"{day_in_year_text(moment)} {clock_text(moment)}"
    pattern = str(get_datetime_format("medium", locale=babel_locale()))
    return pattern.replace("{1}", day_in_year_text(moment)).replace("{0}", clock_text(moment))


def clock_range_text(start: datetime, end: datetime, *, with_day: bool = False) -> str:
    """'14:00–15:00', or with `with_day` 'Tue 5 Mar 14:00–15:00' (the day of the start: a
    multi-day event's item), each in the moment's own zone."""
    opening = day_and_clock_text(start) if with_day else clock_text(start)
    # Translators: two wall clocks of one item: "14:00-15:00" or "Tue 5 Mar 14:00-15:00".
    return gettext("%(start)s–%(end)s") % {"start": opening, "end": clock_text(end)}


def in_zone_text(text: str, moment: datetime) -> str:
    """A day or clock followed by the moment's zone name: 'Tue 5 Mar 14:00 (Europe/Paris)'."""
    # Translators: a moment and the name of its time zone: "Tue 5 Mar 14:00 (Europe/Paris)".
    return gettext("%(when)s (%(zone)s)") % {"when": text, "zone": moment.tzinfo}


def list_text(words: list[str], style: str = "standard") -> str:
    """Words joined as the active language joins them: 'A, B and C', 'A, B et C', 'A, B und C'.
    `style="or"` for alternatives."""
    words = [str(word) for word in words]
    if not words:
        return ""
    return format_list(words, style=style, locale=babel_locale())


def _zone(moment: datetime) -> str:
    return moment.tzname() or ""


def _days(first: date, last: date) -> str:
    """An inclusive range of days, the shared month and year said once: 'Mon 25 – Wed 27 Jan
    2027', 'Sat 30 Jan – Mon 1 Feb 2027', 'Thu 30 Dec 2027 – Sat 1 Jan 2028'."""
    if last <= first:
        return day_text(first)
    if not _english():
        return format_interval(first, last, SKELETON_DAY, locale=babel_locale())
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
        # Translators: a span within one day: "Mon 25 Jan 2027, 14:00-17:30 CET". The start may
        # carry its own zone when summer time begins within the span.
        return gettext("%(day)s, %(start)s–%(end)s %(zone)s") % {
            "day": day_text(start),
            "start": opening,
            "end": clock_text(end),
            "zone": last_zone,
        }
    # Translators: a span over several days: "Mon 25 Jan 2027, 09:00 - Wed 27 Jan 2027, 17:30 CET".
    return gettext("%(first_day)s, %(start)s – %(last_day)s, %(end)s %(zone)s") % {
        "first_day": day_text(start),
        "start": opening,
        "last_day": day_text(end),
        "end": clock_text(end),
        "zone": last_zone,
    }


def describe_moment(value: datetime, zone_name: str) -> str:
    """One moment in a zone: 'Fri 15 Jan 2027, 14:00 CET'."""
    local = value.astimezone(zoneinfo.ZoneInfo(zone_name))
    # Translators: one moment: "Fri 15 Jan 2027, 14:00 CET".
    return gettext("%(day)s, %(time)s %(zone)s") % {
        "day": day_text(local),
        "time": clock_text(local),
        "zone": _zone(local),
    }


def describe_start(item, now: datetime) -> str:
    """When something begins, seen from `now`, for reminders: 'today at 14:00 CET',
    'tomorrow, Mon 25 Jan 2027 at 14:00 CET', 'in 7 days, on Mon 1 Feb 2027 at 14:00 CET'
    (an all-day event names its day only). Never "soon": the reader learns the day and hour."""
    start = item.local_start
    days = (start.date() - now.astimezone(start.tzinfo).date()).days
    values = {"day": day_text(start), "count": days}
    if getattr(item, "all_day", False):
        if days <= 0:
            return gettext("today")
        if days == 1:
            return gettext("tomorrow, %(day)s") % values
        return ngettext("in %(count)s day, on %(day)s", "in %(count)s days, on %(day)s", days) % (
            values
        )
    values["time"] = f"{clock_text(start)} {_zone(start)}"
    if days <= 0:
        # Translators: when a reminded event begins: "today at 14:00 CET".
        return gettext("today at %(time)s") % values
    if days == 1:
        return gettext("tomorrow, %(day)s at %(time)s") % values
    return (
        ngettext(
            "in %(count)s day, on %(day)s at %(time)s",
            "in %(count)s days, on %(day)s at %(time)s",
            days,
        )
        % values
    )
