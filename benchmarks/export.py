"""How fast and how lean are participant exports with 50,000 registrations on PostgreSQL?

Run:  .venv/bin/python benchmarks/export.py [--rows 50000] [--rounds 3] [--url postgres://...]

Uses its own database (default postgres://postgres@127.0.0.1:5432/bench_export, created if
missing, migrated, filled once and reused). Exports the whole list with every column (name,
e-mail, affiliation, mode, status, two answers, registration and check-in time) through the
same code the download view runs, to CSV and to XLSX, and prints for each its time as a multiple
of the floor measured just before it in the same round, the peak Python memory (tracemalloc, a
separate run) and the process's peak RSS. The floor is PostgreSQL's own
COPY (SELECT same columns) TO STDOUT, read by the client and thrown away.
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
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_export"


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--url", default=os.environ.get("BENCH_EXPORT_URL", DEFAULT_URL))
    return parser.parse_args()


ARGS = parse()
ensure_database(ARGS.url)
os.environ["DATABASE_URL"] = ARGS.url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escape_events.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from escape_events.events.models import Event  # noqa: E402
from escape_events.organisers.exports import COLUMN_CHOICES, Export, columns_for  # noqa: E402
from escape_events.organisers.selectors import (  # noqa: E402
    ParticipantFilter,
    participants,
    questions,
)
from escape_events.registrations.models import Answer, Question, Registration  # noqa: E402

SLUG = "benchmark-export"


def fill(rows: int) -> Event:
    """One event with `rows` registrations and two answered questions (made once, kept)."""
    event = Event.objects.filter(slug=SLUG).first()
    if event and event.registrations.count() == rows:
        return event
    print(f"filling {rows:,} registrations (once)…", flush=True)
    with transaction.atomic():
        Event.objects.filter(slug=SLUG).delete()
        get_user_model().objects.filter(username__startswith="bench-").delete()
        start = timezone.now() + timedelta(days=60)
        event = Event.objects.create(
            title="Benchmark: SWAN hands-on", slug=SLUG, start=start, end=start + timedelta(hours=3)
        )
        experiment = Question.objects.create(event=event, label="Experiment", position=1)
        laptop = Question.objects.create(event=event, label="Bringing a laptop?", position=2)
        users = get_user_model().objects.bulk_create(
            get_user_model()(
                username=f"bench-{number}",
                email=f"bench-{number}@example.org",
                first_name=["Zoë", "Ada", "=Grace", "Jürgen", "李"][number % 5],
                last_name=f"Participant {number}",
                affiliation=["CERN", "DESY", "INFN", "+IN2P3", "SURF"][number % 5],
            )
            for number in range(rows)
        )
        now = timezone.now()
        registrations = Registration.objects.bulk_create(
            Registration(
                event=event,
                user=user,
                mode="onsite" if number % 3 else "remote",
                status="confirmed" if number % 10 else "waiting",
                waiting_since=None if number % 10 else now,
                checked_in_at=now if number % 4 == 0 and number % 10 else None,
            )
            for number, user in enumerate(users)
        )
        Answer.objects.bulk_create(
            Answer(registration=registration, question=question, value=value)
            for number, registration in enumerate(registrations)
            for question, value in (
                (experiment, ["ATLAS", "CMS", "LHCb", "=SUM(A1)"][number % 4]),
                (laptop, "yes" if number % 2 else "no"),
            )
        )
    return event


def export_for(event: Event) -> Export:
    event_questions = questions(event)
    rows = participants(event, ParticipantFilter(), event_questions)
    columns = columns_for([key for key, _label in COLUMN_CHOICES], event_questions)
    return Export(rows, columns, event)


def run_csv(event) -> int:
    return sum(len(chunk) for chunk in export_for(event).csv_chunks())


def run_xlsx(event) -> int:
    handle = export_for(event).xlsx_file()
    size = handle.seek(0, 2)
    handle.close()
    return size


def copy_floor(event) -> tuple[float, int]:
    """PostgreSQL writing the same rows itself: the least any export can take."""
    query = participants(event, ParticipantFilter(), questions(event)).values(
        "user__first_name", "user__last_name", "user__email", "user__affiliation", "mode",
        "status", "created_at", "checked_in_at",
        *[f"answer_{question.pk}" for question in questions(event)],
    )  # fmt: skip
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        inner = cursor.mogrify(sql, params)
        inner = inner.decode() if isinstance(inner, bytes) else inner
        started = time.perf_counter()
        size = 0
        with cursor.cursor.copy(f"COPY ({inner}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for block in copy:
                size += len(block)
        return time.perf_counter() - started, size


def timed(function, event):
    started = time.perf_counter()
    size = function(event)
    return time.perf_counter() - started, size


def traced_peak(function, event) -> int:
    tracemalloc.start()
    function(event)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def spread(values: list[float], unit: str = "", digits: int = 2) -> str:
    middle, low, high = statistics.median(values), min(values), max(values)
    return f"{middle:.{digits}f}{unit} ({low:.{digits}f}–{high:.{digits}f})"


def main():
    call_command("migrate", verbosity=0)
    event = fill(ARGS.rows)
    load_before = os.getloadavg()
    formats = (("CSV", run_csv), ("XLSX", run_xlsx))
    floors, times, sizes = [], {name: [] for name, _ in formats}, {}
    for _ in range(ARGS.rounds):  # interleaved, so all see the same load on a shared machine
        floor, floor_size = copy_floor(event)
        floors.append(floor)
        for name, function in formats:
            seconds, sizes[name] = timed(function, event)
            times[name].append(seconds / floor)
    peaks = {name: traced_peak(function, event) for name, function in formats}
    load_after = os.getloadavg()
    print(
        f"PostgreSQL {connection.pg_version // 10000}, {event.registrations.count():,} rows; "
        f"load average {load_before[0]:.2f} at start, {load_after[0]:.2f} at end; "
        f"median (min–max) of {ARGS.rounds} interleaved rounds"
    )
    print(f"{'':<6}{'vs COPY':>20}{'size':>10}{'peak Python':>13}")
    print(f"{'COPY':<6}{spread(floors, ' s'):>20}{floor_size / 1e6:>8.1f}MB{'–':>13}")
    for name, _function in formats:
        print(
            f"{name:<6}{spread(times[name], 'x'):>20}{sizes[name] / 1e6:>8.1f}MB"
            f"{peaks[name] / 1e6:>11.1f}MB"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS over the whole run (incl. Django, filling): {rss:.0f} MB")


if __name__ == "__main__":
    main()
