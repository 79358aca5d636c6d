"""What does the JSON API add on top of the database for a page of participants?

Run:  .venv/bin/python benchmarks/api.py [--rows 20000] [--runs 30] [--url postgres://...]

Uses its own database (default postgres://postgres@127.0.0.1:5432/api_bench, created if missing,
migrated, filled once and reused): one event with `rows` registrations and two answered
questions. Then, through Django's test client with an API token, it times
  - the floor: the same selector's count and page of 100 rows, evaluated directly;
  - GET /api/organise/events/<slug>/participants?page_size=100 (token look-up, the page's filter
    form, the same selector, JSON, ETag);
  - the same request with If-None-Match (304);
  - the organiser's HTML participant page for the same 100 people, for comparison;
and prints the median and the spread (min-max) of each, with the ratio to the floor.
"""

import statistics
import time
from datetime import timedelta

from crowd import arguments, fill_event, start_django

ARGS = arguments(
    __doc__, database="api_bench", rows=20_000, repeat="runs", times=30, environ="BENCH_API_URL"
)
start_django(ARGS.url)

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from escape_events.api.services import issue_api_token  # noqa: E402
from escape_events.events.models import Event  # noqa: E402
from escape_events.organisers.selectors import (  # noqa: E402
    ParticipantFilter,
    participants,
    questions,
)

SLUG = "benchmark-api"


def fill(rows: int) -> Event:
    """One event with `rows` confirmed registrations (made once, kept)."""
    return fill_event(
        slug=SLUG,
        title="Benchmark: SWAN hands-on",
        rows=rows,
        start=timezone.now() + timedelta(days=60),
        length=timedelta(hours=3),
        username="bench-",
        person=lambda n: {"email": f"bench-{n}@example.org", "first_name": f"P{n}"},
        registration=lambda n: {"mode": "onsite" if n % 3 else "remote", "status": "confirmed"},
        answers=lambda n: (["ATLAS", "CMS"][n % 2], "yes"),
    )


def timed(run, runs: int) -> list[float]:
    run()  # warm up (connections, caches, the token's last-used stamp)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main():
    settings.API_RATE_LIMIT = (10**9, 60)
    settings.ALLOWED_HOSTS = ["testserver"]
    event = fill(ARGS.rows)
    organiser, _ = get_user_model().objects.get_or_create(
        username="bench-organiser", defaults={"email": "bench-organiser@example.org"}
    )
    event.organisers.add(organiser)
    _token, secret = issue_api_token(
        user=organiser, name="bench", registrations=False, organiser="read",
        lifetime=timedelta(days=1),
    )  # fmt: skip
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    browser = Client()
    browser.force_login(organiser)
    url = f"/api/organise/events/{SLUG}/participants?page_size=100"
    etag = client.get(url)["ETag"]

    def floor():
        event_questions = questions(event)
        rows = participants(event, ParticipantFilter(), event_questions)
        rows.count()
        list(rows[:100])

    def api():
        assert client.get(url).status_code == 200

    def revalidate():
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    def page():
        assert browser.get(f"/organise/events/{SLUG}/participants/").status_code == 200

    results = {
        "selector alone (floor)": timed(floor, ARGS.runs),
        "API, 100 participants": timed(api, ARGS.runs),
        "API, 304 on If-None-Match": timed(revalidate, ARGS.runs),
        "HTML participant page": timed(page, ARGS.runs),
    }
    base = statistics.median(results["selector alone (floor)"])
    print(f"{ARGS.rows:,} registrations, {ARGS.runs} runs each, {connection_vendor()}")
    for name, times in results.items():
        median = statistics.median(times)
        print(
            f"  {name:28} median {median:7.1f} ms  (min {min(times):6.1f}, max {max(times):6.1f})"
            f"  x{median / base:4.1f} of the floor"
        )


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
