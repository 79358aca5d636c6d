"""How fast is the feed of all events with 5,000 events in it?

Run:  .venv/bin/python benchmarks/feeds.py [--events 5000] [--rounds 7]

Uses a throw-away SQLite database in a temporary folder (or DATABASE_URL when set, e.g. a
scratch PostgreSQL database, created if missing: it creates and deletes its own rows there;
with REDIS_URL the shared cache is Redis, as in production). Prints, over interleaved rounds,
the time to build the feed from nothing cached (queries + iCalendar), the time the icalendar
package alone needs to build and serialise the same events from plain values, their ratio, the
query counts of a request, and the latency of a cached request and of a conditional request
answered 304 with all the events and again with only a few (--small) left.
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
from escape_events.events.services import with_description_text  # noqa: E402
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
        description = (
            f"Meeting {number}: **news** from the pilot, see the "
            f"[notes](https://indico.example.org/event/{number}/).\n\nSecond paragraph."
        )
        events.append(
            Event(
                title=f"Meeting {number}: data, lakes; and Zürich",
                slug=f"{PREFIX}{number}",
                kind=kinds[number % len(kinds)],
                summary="Coordination, news and pilot status.",
                **with_description_text({"description": description}),
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


def seconds(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def spread(values: list[float], scale: float = 1000, digits: int = 1) -> str:
    middle, low, high = statistics.median(values), min(values), max(values)
    return f"{middle * scale:.{digits}f} ({low * scale:.{digits}f}–{high * scale:.{digits}f})"


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
                "description": f"{event.summary}\n\n{event.description_text}",
                "location": venue.location_line if venue else "",
                "geo": (float(venue.latitude), float(venue.longitude)) if venue else None,
                "start": start,
                "end": end,
            }
        )
    return rows


def request_latencies(rounds: int, requests: int) -> dict[str, list[float]]:
    """Per round, the median latency of a cached 200 and of a 304 (test client, in process)."""
    client = Client()
    url = reverse("feeds:all")
    cache.clear()
    first = client.get(url)
    etag = {"If-None-Match": first["ETag"]}
    assert client.get(url, headers=etag).status_code == 304
    result = {"cached 200": [], "304": []}
    for _ in range(rounds):
        result["cached 200"].append(
            statistics.median(seconds(lambda: client.get(url)) for _ in range(requests))
        )
        result["304"].append(
            statistics.median(
                seconds(lambda: client.get(url, headers=etag)) for _ in range(requests)
            )
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--small", type=int, default=50, help="the second, small feed")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    load_before = os.getloadavg()
    populate(args.events)
    cache.clear()
    today = timezone.now().astimezone(UTC).date()
    since = selectors.window_start(today)
    scope = selectors.all_scope(since)
    info = CalendarInfo(name="ESCAPE events")

    def build():  # what the feed view does when the body is not kept
        events, series = selectors.scope_content(scope, since)
        agendas = selectors.scope_agendas(scope, events, series)
        return render_calendar(info, events=events, series=series, today=today, agendas=agendas)

    body = build()  # import, URL resolver and first-use costs out of the way
    events, _ = selectors.scope_content(scope, since)
    rows = plain_rows(events)
    cold, alone, cold_ratios = [], [], []
    for _ in range(args.rounds):  # interleaved, so all see the same load on a shared machine
        cold.append(seconds(build))
        alone.append(seconds(lambda: icalendar_alone(rows)))
        cold_ratios.append(cold[-1] / alone[-1])
    parsed = Calendar.from_ical(body)
    serialise = [seconds(parsed.to_ical) for _ in range(3)]

    client = Client()
    url = reverse("feeds:all")
    cache.clear()
    with counting_queries() as cold_queries:
        first = client.get(url)
    with counting_queries() as cached_queries:
        client.get(url)
    with counting_queries() as conditional_queries:
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    large = request_latencies(args.rounds, 50)

    Event.objects.filter(slug__startswith=PREFIX).exclude(
        slug__in=[f"{PREFIX}{number}" for number in range(args.small)]
    ).delete()
    small_events = len(selectors.scope_content(scope, since)[0])
    small = request_latencies(args.rounds, 50)
    load_after = os.getloadavg()

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[1]
    print(
        f"database: {connection.vendor}; shared cache: {backend}; "
        f"load average {load_before[0]:.2f} at start, {load_after[0]:.2f} at end"
    )
    print(
        f"all-events feed: {len(events)} events (+ 1 series with overrides), "
        f"{len(body) / 1e6:.2f} MB; median (min–max) of {args.rounds} interleaved rounds"
    )
    print(f"feed build, cold (queries + iCalendar), ms:   {spread(cold, digits=0)}")
    print(f"icalendar alone (build + serialise), ms:     {spread(alone, digits=0)}")
    print(f"ratio cold build / icalendar alone:          {spread(cold_ratios, 1, 2)}")
    print(f"  (icalendar to_ical of the parsed feed:     {spread(serialise, digits=0)} ms)")
    print(
        f"queries per request: cache miss {len(cold_queries)}, cached 200 "
        f"{len(cached_queries)}, 304 {len(conditional_queries)}"
    )
    print("latency (test client, in process), ms:")
    print(f"  cached 200 with {len(events):>5} events:     {spread(large['cached 200'], digits=2)}")
    print(f"  304        with {len(events):>5} events:     {spread(large['304'], digits=2)}")
    print(
        f"  cached 200 with {small_events:>5} events:     {spread(small['cached 200'], digits=2)}"
    )
    print(f"  304        with {small_events:>5} events:     {spread(small['304'], digits=2)}")

    Event.objects.filter(slug__startswith=PREFIX).delete()
    Series.objects.filter(slug__startswith=PREFIX).delete()
    Venue.objects.filter(name__startswith=PREFIX).delete()


if __name__ == "__main__":
    main()
