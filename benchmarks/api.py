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

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from scratch_db import ensure_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/api_bench"


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--url", default=os.environ.get("BENCH_API_URL", DEFAULT_URL))
    return parser.parse_args()


ARGS = parse()
ensure_database(ARGS.url)
os.environ["DATABASE_URL"] = ARGS.url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escape_events.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from escape_events.api.services import issue_api_token  # noqa: E402
from escape_events.events.models import Event  # noqa: E402
from escape_events.organisers.selectors import (  # noqa: E402
    ParticipantFilter,
    participants,
    questions,
)
from escape_events.registrations.models import Answer, Question, Registration  # noqa: E402

SLUG = "benchmark-api"


def fill(rows: int) -> Event:
    """One event with `rows` registrations and two answered questions (made once, kept)."""
    event = Event.objects.filter(slug=SLUG).first()
    if event and event.registrations.count() == rows:
        return event
    print(f"filling {rows:,} registrations (once)…", flush=True)
    User = get_user_model()
    with transaction.atomic():
        Event.objects.filter(slug=SLUG).delete()
        User.objects.filter(username__startswith="bench-").delete()
        start = timezone.now() + timedelta(days=60)
        event = Event.objects.create(
            title="Benchmark: SWAN hands-on", slug=SLUG, start=start, end=start + timedelta(hours=3)
        )
        experiment = Question.objects.create(event=event, label="Experiment", position=1)
        laptop = Question.objects.create(event=event, label="Bringing a laptop?", position=2)
        users = User.objects.bulk_create(
            User(username=f"bench-{n}", email=f"bench-{n}@example.org", first_name=f"P{n}")
            for n in range(rows)
        )
        registrations = Registration.objects.bulk_create(
            Registration(event=event, user=user, mode="onsite" if n % 3 else "remote",
                         status="confirmed")
            for n, user in enumerate(users)
        )  # fmt: skip
        Answer.objects.bulk_create(
            Answer(registration=registration, question=question, value=value)
            for n, registration in enumerate(registrations)
            for question, value in ((experiment, ["ATLAS", "CMS"][n % 2]), (laptop, "yes"))
        )
    return event


def timed(run, runs: int) -> list[float]:
    run()  # warm up (connections, caches, the token's last-used stamp)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main():
    call_command("migrate", verbosity=0)
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
