"""The WP2 series as the parser tests need it: an extra date, a moved and a cancelled meeting."""

import zoneinfo
from datetime import datetime

from escape_events.events.models import Event, Series

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
UTC = zoneinfo.ZoneInfo("UTC")

# 1 Sep - 1 Dec 2019: the extra 4 Sep meeting (RDATE, before DTSTART), 25 Sep and 9 Oct in summer
# time (14:00 = 12:00Z), 23 Oct moved to Thu 24 Oct 15:00, daylight saving ends 27 Oct,
# 13 Nov cancelled, 27 Nov in winter time (14:00 = 13:00Z).
RANGE = (datetime(2019, 9, 1, tzinfo=UTC), datetime(2019, 12, 1, tzinfo=UTC))
EXPECTED_UTC_STARTS = [
    "2019-09-04T12:00:00Z",
    "2019-09-25T12:00:00Z",
    "2019-10-09T12:00:00Z",
    "2019-10-24T13:00:00Z",
    "2019-11-27T13:00:00Z",
]


def occurrence(series: Series, recurrence_id: datetime, **fields) -> Event:
    start = fields.pop("start", recurrence_id)
    return Event.objects.create(
        series=series,
        recurrence_id=recurrence_id,
        slug=f"{series.slug}-{recurrence_id.astimezone(ZURICH):%Y-%m-%d}",
        title=fields.pop("title", series.title),
        start=start,
        end=fields.pop("end", start + series.duration),
        time_zone=series.time_zone,
        **fields,
    )


def wp2_with_exceptions(series: Series) -> dict[str, Event]:
    """Stored occurrences of the WP2 fixture series, as the seeds and organisers make them."""
    return {
        "extra": occurrence(
            series, datetime(2019, 9, 4, 14, tzinfo=ZURICH), title="ESCAPE WP2 meeting, 4 Sep 2019"
        ),
        "moved": occurrence(
            series,
            datetime(2019, 10, 23, 14, tzinfo=ZURICH),
            start=datetime(2019, 10, 24, 15, tzinfo=ZURICH),
            title="WP2 meeting (moved to Thursday)",
            sequence=2,
        ),
        "cancelled": occurrence(
            series,
            datetime(2019, 11, 13, 14, tzinfo=ZURICH),
            status=Event.Status.CANCELLED,
            sequence=1,
        ),
    }


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
