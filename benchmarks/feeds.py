"""How fast is the feed of all events with 5,000 events in it?

Run:  .venv/bin/python benchmarks/feeds.py [--events 5000] [--repeat 5]

Uses a throw-away SQLite database in a temporary folder (or DATABASE_URL when set, e.g. a
scratch PostgreSQL database: it creates and deletes its own rows there). Prints the time to
build the feed (queries + iCalendar), the time the icalendar package alone needs to build and
serialise the same events from plain values, their ratio, the query count of a request, and
the latency of a cached request and of a conditional request answered 304.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import zoneinfo
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scratch_db import ensure_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escape_events.settings")
_scratch = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_scratch.name}/bench.sqlite3")
if os.environ["DATABASE_URL"].startswith("postgres"):
    ensure_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from icalendar import Calendar, vGeo  # noqa: E402
from icalendar import Event as VEvent  # noqa: E402

from escape_events.calendars.ics import CalendarInfo, render_calendar  # noqa: E402
from escape_events.events.models import Event, Kind, Series, Venue  # noqa: E402
from escape_events.feeds import selectors  # noqa: E402

ZONES = ["Europe/Zurich", "Europe/Zurich", "Europe/Zurich", "America/Chicago", "Asia/Tokyo"]
PREFIX = "bench-"


def populate(count: int) -> None:
    Event.objects.filter(slug__startswith=PREFIX).delete()
    Series.objects.filter(slug__startswith=PREFIX).delete()
    venues = [
        Venue.objects.get_or_create(
            name=f"{PREFIX}Venue {number}",
            defaults={
                "address": "Esplanade des Particules 1, Meyrin",
                "latitude": 46.2333,
                "longitude": 6.0557,
            },
        )[0]
        for number in range(10)
    ]
    now = timezone.now()
    kinds = list(Kind.values)
    events = []
    for number in range(count):
        zone = zoneinfo.ZoneInfo(ZONES[number % len(ZONES)])
        start = (now - timedelta(days=300) + timedelta(hours=7 * number)).astimezone(zone)
        start = start.replace(minute=0, second=0, microsecond=0)
        all_day = number % 10 == 0
        if all_day:
            start = start.replace(hour=0)
        events.append(
            Event(
                title=f"Meeting {number}: data, lakes; and Zürich",
                slug=f"{PREFIX}{number}",
                kind=kinds[number % len(kinds)],
                summary="Coordination, news and pilot status.",
                description="A longer description of the meeting.\nSecond line.",
                time_zone=zone.key,
                venue=venues[number % len(venues)] if number % 3 else None,
                start=start,
                end=start + (timedelta(days=2) if all_day else timedelta(minutes=90)),
                all_day=all_day,
                status=Event.Status.CANCELLED if number % 50 == 0 else Event.Status.SCHEDULED,
                sequence=number % 4,
            )
        )
    Event.objects.bulk_create(events, batch_size=1000)
    zurich = zoneinfo.ZoneInfo("Europe/Zurich")
    series = Series.objects.create(
        title="WP2 meeting",
        slug=f"{PREFIX}wp2",
        first_start=datetime(2019, 9, 25, 14, tzinfo=zurich),
        duration=timedelta(minutes=90),
        rrule="FREQ=MONTHLY;BYDAY=2WE,4WE",
    )
    for number, day in enumerate((datetime(2019, 10, 23), datetime(2019, 11, 13))):
        recurrence_id = day.replace(hour=14, tzinfo=zurich)
        Event.objects.create(
            title="WP2 meeting",
            slug=f"{PREFIX}wp2-{number}",
            series=series,
            recurrence_id=recurrence_id,
            start=recurrence_id + timedelta(days=1),
            end=recurrence_id + timedelta(days=1, minutes=90),
            status=Event.Status.CANCELLED if number else Event.Status.SCHEDULED,
        )


@contextmanager
def counting_queries():
    """Counts every query, across the reconnects the test client's request signals cause."""
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield executed


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def icalendar_alone(rows) -> bytes:
    """The same events built and serialised with icalendar directly, from plain values."""
    calendar = Calendar()
    calendar.add("prodid", "-//bench//EN")
    calendar.add("version", "2.0")
    for row in rows:
        vevent = VEvent()
        vevent.add("uid", row["uid"])
        vevent.add("dtstamp", row["stamp"])
        vevent.add("last-modified", row["stamp"])
        vevent.add("created", row["stamp"])
        vevent.add("sequence", row["sequence"])
        vevent.add("summary", row["title"])
        vevent.add("status", row["status"])
        vevent.add("transp", "OPAQUE")
        vevent.add("class", "PUBLIC")
        vevent.add("categories", [row["kind"]])
        vevent.add("url", row["url"])
        vevent.add("description", row["description"])
        if row["location"]:
            vevent.add("location", row["location"])
            vevent.add("geo", vGeo(row["geo"]))
        vevent.add("dtstart", row["start"])
        vevent.add("dtend", row["end"])
        calendar.add_component(vevent)
    return calendar.to_ical()


def plain_rows(events) -> list[dict]:
    rows = []
    for event in events:
        zone = zoneinfo.ZoneInfo(event.time_zone)
        start, end = event.start.astimezone(zone), event.end.astimezone(zone)
        if event.all_day:
            start, end = start.date(), end.date()
        venue = event.venue
        rows.append(
            {
                "uid": f"event-{event.pk}@bench",
                "stamp": event.updated_at.astimezone(UTC),
                "sequence": event.sequence,
                "title": event.title,
                "kind": event.get_kind_display(),
                "status": "CANCELLED" if event.is_cancelled else "CONFIRMED",
                "url": f"{settings.SITE_URL}/events/{event.slug}/",
                "description": f"{event.summary}\n\n{event.description}",
                "location": venue.location_line if venue else "",
                "geo": (float(venue.latitude), float(venue.longitude)) if venue else None,
                "start": start,
                "end": end,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    populate(args.events)
    cache.clear()
    today = timezone.now().astimezone(UTC).date()
    since = selectors.window_start(today)
    scope = selectors.all_scope(since)
    info = CalendarInfo(name="ESCAPE events")

    def build():
        events, series = selectors.scope_content(scope, since)
        return render_calendar(info, events=events, series=series, today=today)

    render_calendar(info, today=today)  # import and first-use costs out of the way
    build_time, body = timed(build, args.repeat)
    events, _ = selectors.scope_content(scope, since)
    rows = plain_rows(events)
    alone_time, _ = timed(lambda: icalendar_alone(rows), args.repeat)
    parsed = Calendar.from_ical(body)
    serialise_time, _ = timed(parsed.to_ical, args.repeat)

    client = Client()
    url = reverse("feeds:all")
    cache.clear()
    with counting_queries() as cold_queries:
        first = client.get(url)
    cached_time, _ = timed(lambda: client.get(url), max(args.repeat, 20))
    with counting_queries() as conditional_queries:
        not_modified = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert not_modified.status_code == 304
    conditional_time, _ = timed(
        lambda: client.get(url, headers={"If-None-Match": first["ETag"]}), max(args.repeat, 50)
    )

    print(
        f"database: {connection.vendor}; events in the feed: {len(events)} "
        f"(+ 1 series with overrides); body: {len(body) / 1e6:.2f} MB"
    )
    print(f"feed build (queries + iCalendar):       {build_time * 1000:8.1f} ms")
    print(f"icalendar alone (build + serialise):     {alone_time * 1000:8.1f} ms")
    print(f"ratio build / icalendar alone:           {build_time / alone_time:8.2f}")
    print(f"  (icalendar to_ical of the parsed feed: {serialise_time * 1000:8.1f} ms)")
    print(f"queries per request, cache miss:         {len(cold_queries):8d}")
    print(f"queries per request, 304:                {len(conditional_queries):8d}")
    print(f"cached 200 latency (test client):        {cached_time * 1000:8.1f} ms")
    print(f"304 latency (test client):               {conditional_time * 1000:8.1f} ms")

    Event.objects.filter(slug__startswith=PREFIX).delete()
    Series.objects.filter(slug__startswith=PREFIX).delete()
    Venue.objects.filter(name__startswith=PREFIX).delete()


if __name__ == "__main__":
    main()
