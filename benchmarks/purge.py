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

import resource
import statistics
import time
import tracemalloc
from datetime import timedelta

from crowd import arguments, fill_event, start_django

ARGS = arguments(
    __doc__, database="bench_purge", rows=50_000, repeat="runs", times=3,
    environ="BENCH_PURGE_URL",
)  # fmt: skip
start_django(ARGS.url)

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg import sql  # noqa: E402

from escape_events.events.models import Event  # noqa: E402
from escape_events.registrations.models import (  # noqa: E402
    Answer,
    RegistrationSettings,
    StatusChange,
)
from escape_events.registrations.services import purge_due_registrations  # noqa: E402


def fill(rows: int) -> Event:
    """One event that ended 13 months ago with `rows` registrations, answers and a status-history
    step each (made once, kept)."""
    start = timezone.now() - timedelta(days=400)

    def settings_and_history(event, registrations):
        if not registrations:
            RegistrationSettings.objects.create(event=event, opens_at=start - timedelta(days=60))
        StatusChange.objects.bulk_create(
            StatusChange(
                registration=registration,
                at=registration.status_changed_at,
                status=registration.status,
                mode=registration.mode,
            )
            for registration in registrations
        )

    return fill_event(
        slug="benchmark-purge",
        title="Benchmark: purged workshop",
        rows=rows,
        start=start,
        length=timedelta(hours=8),
        username="bench-purge-",
        person=lambda number: {
            "email": f"bench-purge-{number}@example.org",
            "first_name": "Ada",
            "last_name": f"Participant {number}",
        },
        registration=lambda number: {
            "mode": "onsite" if number % 3 else "remote",
            "status": "confirmed" if number % 10 else "cancelled",
            "consent_to_list": bool(number % 2),
            "checked_in_at": start if number % 4 == 0 and number % 10 else None,
            "status_changed_at": start - timedelta(days=30),
        },
        answers=lambda number: (["ATLAS", "CMS", "LHCb", "SKAO"][number % 4],
                                "yes" if number % 2 else "no"),
        also=settings_and_history,
    )  # fmt: skip


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
