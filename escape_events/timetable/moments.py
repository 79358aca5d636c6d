"""Days and times of an agenda in the reader's language: English keeps the house style
('Tue 5 Mar 14:00'), the other languages take CLDR's order and names through Babel
('mar. 5 mars 14:00', 'Di., 5. März 14:00'). Times are 24-hour everywhere."""

from datetime import date, datetime

from babel.dates import format_date, format_skeleton
from django.conf import settings
from django.utils import dateformat, translation


def _locale() -> str:
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


def _english() -> bool:
    return _locale().startswith("en")


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def short_day(moment: date | datetime) -> str:
    """'Tue 5 Mar', 'mar. 5 mars', 'Di., 5. März': a day within its year."""
    if _english():
        return dateformat.format(moment, "D j M")
    return format_skeleton("MMMEd", _day(moment), locale=_locale())


def long_day(moment: date | datetime) -> str:
    """'Tuesday 5 March 2019', 'mardi 5 mars 2019', 'Dienstag, 5. März 2019'."""
    if _english():
        return dateformat.format(moment, "l j F Y")
    return format_date(_day(moment), "full", locale=_locale())


def date_text(moment: date | datetime) -> str:
    """'05 Mar 2019', '5 mars 2019': a date without its weekday."""
    if _english():
        return dateformat.format(moment, "d M Y")
    return format_skeleton("yMMMd", _day(moment), locale=_locale())


def clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def day_and_clock(moment: datetime) -> str:
    """'Tue 5 Mar 14:00' (in the moment's own zone)."""
    return f"{short_day(moment)} {clock(moment)}"
