"""VTIMEZONE components, built once per zone and span of years (they are the costly part)."""

from datetime import date
from functools import lru_cache

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

_COPIED = ("TZNAME", "TZOFFSETFROM", "TZOFFSETTO")


@lru_cache(maxsize=256)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The zone's transitions from 1 January of `first_year` to 1 January of `last_year`.

    icalendar lists transitions as one observance with RDATEs; Mozilla's ical.js (Thunderbird)
    then ignores the DTSTART and all but the first RDATE value, and misplaces every summer.
    So each transition becomes its own observance with a single DTSTART, which every reader
    understands. Callers must treat the result as read-only: it is shared between calendars.
    """
    source = Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)
    )
    observances = []
    for observance in source.subcomponents:
        kind = TimezoneDaylight if observance.name == "DAYLIGHT" else TimezoneStandard
        starts = [observance["DTSTART"].dt]
        rdates = observance.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            starts.extend(period.dt for period in rdate.dts)
        for start in starts:
            single = kind()
            single.add("dtstart", start)
            for name in _COPIED:
                if name in observance:
                    single[name] = observance[name]
            observances.append(single)
    result = Timezone()
    result.add("tzid", tzid)
    for observance in sorted(observances, key=lambda item: item["DTSTART"].dt):
        result.add_component(observance)
    return result
