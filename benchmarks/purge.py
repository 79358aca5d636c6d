"""How long, and in how much memory, does the retention purge of 50,000 registrations take?

Run:  .venv/bin/python benchmarks/purge.py [--rows 50000] [--runs 3] [--url postgres://...]

Uses its own database (default postgres://postgres@127.0.0.1:5432/bench_purge, created if
missing, migrated, filled once and reused): one event that ended 13 months ago with `rows`
registrations, each with two answers and a status-history step. Each run purges it through the
scheduled job (`purge_due_registrations`) inside a transaction that is then rolled back, so the
next run finds the same data; it prints the time, the peak Python memory (tracemalloc) and the
number of queries. The floor is the same three statements (delete answers, delete history,
empty the link to the person) sent as plain SQL, measured the same way in the same run.
With --rows 5000 as well, the memory figures show that memory does not grow with the rows.
"""

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

from scratch_db import ensure_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_purge"


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", default=os.environ.get("BENCH_PURGE_URL", DEFAULT_URL))
    return parser.parse_args()


ARGS = parse()
ensure_database(ARGS.url)
os.environ["DATABASE_URL"] = ARGS.url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escape_events.settings")

import django  # noqa: E402
from psycopg import sql  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from escape_events.events.models import Event  # noqa: E402
from escape_events.registrations.models import (  # noqa: E402
    Answer,
    Question,
    Registration,
    RegistrationSettings,
    StatusChange,
)
from escape_events.registrations.services import purge_due_registrations  # noqa: E402

SLUG = "benchmark-purge"
BATCH = 5_000


def fill(rows: int) -> Event:
    """One ended event with `rows` registrations, answers and history (made once, kept)."""
    event = Event.objects.filter(slug=SLUG).first()
    if event and event.registrations.filter(user__isnull=False).count() == rows:
        return event
    print(f"filling {rows:,} registrations (once)…", flush=True)
    User = get_user_model()
    with transaction.atomic():
        Event.objects.filter(slug=SLUG).delete()
        User.objects.filter(username__startswith="bench-purge-").delete()
        start = timezone.now() - timedelta(days=400)
        event = Event.objects.create(
            title="Benchmark: purged workshop",
            slug=SLUG,
            start=start,
            end=start + timedelta(hours=8),
        )
        RegistrationSettings.objects.create(event=event, opens_at=start - timedelta(days=60))
        experiment = Question.objects.create(event=event, label="Experiment", position=1)
        laptop = Question.objects.create(event=event, label="Bringing a laptop?", position=2)
        for first in range(0, rows, BATCH):
            numbers = range(first, min(first + BATCH, rows))
            users = User.objects.bulk_create(
                User(
                    username=f"bench-purge-{number}",
                    email=f"bench-purge-{number}@example.org",
                    first_name="Ada",
                    last_name=f"Participant {number}",
                )
                for number in numbers
            )
            registrations = Registration.objects.bulk_create(
                Registration(
                    event=event,
                    user=user,
                    mode="onsite" if number % 3 else "remote",
                    status="confirmed" if number % 10 else "cancelled",
                    consent_to_list=bool(number % 2),
                    checked_in_at=start if number % 4 == 0 and number % 10 else None,
                    status_changed_at=start - timedelta(days=30),
                )
                for number, user in zip(numbers, users, strict=True)
            )
            Answer.objects.bulk_create(
                Answer(registration=registration, question=question, value=value)
                for number, registration in zip(numbers, registrations, strict=True)
                for question, value in (
                    (experiment, ["ATLAS", "CMS", "LHCb", "SKAO"][number % 4]),
                    (laptop, "yes" if number % 2 else "no"),
                )
            )
            StatusChange.objects.bulk_create(
                StatusChange(
                    registration=registration,
                    at=registration.status_changed_at,
                    status=registration.status,
                    mode=registration.mode,
                )
                for registration in registrations
            )
    return event


def purge_job(event) -> int:
    return len(purge_due_registrations(now=timezone.now()))


def plain_sql(event) -> int:
    """The least the purge has to ask of PostgreSQL: the same three statements, by hand."""
    with connection.cursor() as cursor:
        for table in ("registrations_answer", "registrations_statuschange"):
            cursor.execute(
                sql.SQL(
                    "DELETE FROM {} WHERE registration_id IN (SELECT id FROM "
                    "registrations_registration WHERE event_id = %s AND user_id IS NOT NULL)"
                ).format(sql.Identifier(table)),
                [event.pk],
            )
        cursor.execute(
            "UPDATE registrations_registration SET user_id = NULL, consent_to_list = false "
            "WHERE event_id = %s AND user_id IS NOT NULL",
            [event.pk],
        )
        return cursor.rowcount


def measured(function, event) -> tuple[float, int, int, int]:
    """(seconds, peak Python bytes, queries, result) of one run, rolled back afterwards."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            tracemalloc.start()
            started = time.perf_counter()
            result = function(event)
            seconds = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        transaction.set_rollback(True)
    return seconds, peak, len(queries), result


def spread(values, unit="", scale=1.0, digits=2) -> str:
    low, high = min(values) * scale, max(values) * scale
    median = statistics.median(values) * scale
    return f"{median:.{digits}f}{unit} ({low:.{digits}f}–{high:.{digits}f})"


def main():
    call_command("migrate", verbosity=0)
    event = fill(ARGS.rows)
    print(
        f"PostgreSQL {connection.pg_version // 10000}: {ARGS.rows:,} registrations, "
        f"{Answer.objects.filter(registration__event=event).count():,} answers, "
        f"{StatusChange.objects.filter(registration__event=event).count():,} history steps; "
        f"{ARGS.runs} runs each, median (min–max)"
    )
    results = {"plain SQL (floor)": [], "purge job": []}
    for _run in range(ARGS.runs):
        for name, function in (("plain SQL (floor)", plain_sql), ("purge job", purge_job)):
            results[name].append(measured(function, event))
    floor = results["plain SQL (floor)"]
    for name, runs in results.items():
        seconds = [run[0] for run in runs]
        ratios = [run[0] / base[0] for run, base in zip(runs, floor, strict=True)]
        print(
            f"{name:<18} time {spread(seconds, ' s')}  vs floor {spread(ratios, 'x')}  "
            f"peak Python {spread([run[1] for run in runs], ' MB', 1e-6)}  "
            f"queries {runs[0][2]}"
        )
    assert all(run[3] == 1 for run in results["purge job"]), "the job must purge the one event"
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS over the whole run (incl. Django, filling): {rss:.0f} MB")


if __name__ == "__main__":
    main()
