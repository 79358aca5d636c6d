"""VTIMEZONE components, built once per zone and span of years (they are the costly part)."""

from datetime import date
from functools import lru_cache

from icalendar import Timezone


@lru_cache(maxsize=256)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The zone's transitions from 1 January of `first_year` to 1 January of `last_year`.

    Callers must treat the returned component as read-only: it is shared between calendars.
    """
    return Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)
    )
