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

import os
import resource
import statistics
import time
import tracemalloc
from datetime import timedelta

from crowd import arguments, fill_event, start_django

ARGS = arguments(
    __doc__, database="bench_export", rows=50_000, repeat="rounds", times=3,
    environ="BENCH_EXPORT_URL",
)  # fmt: skip
start_django(ARGS.url)

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from escape_events.events.models import Event  # noqa: E402
from escape_events.organisers.exports import COLUMN_CHOICES, Export, columns_for  # noqa: E402
from escape_events.organisers.selectors import (  # noqa: E402
    ParticipantFilter,
    participants,
    questions,
)


def fill(rows: int) -> Event:
    """One event with `rows` registrations, a tenth of them waiting, some names and answers
    that a spreadsheet would run as formulas (made once, kept)."""
    now = timezone.now()
    return fill_event(
        slug="benchmark-export",
        title="Benchmark: SWAN hands-on",
        rows=rows,
        start=now + timedelta(days=60),
        length=timedelta(hours=3),
        username="bench-",
        person=lambda number: {
            "email": f"bench-{number}@example.org",
            "first_name": ["Zoë", "Ada", "=Grace", "Jürgen", "李"][number % 5],
            "last_name": f"Participant {number}",
            "affiliation": ["CERN", "DESY", "INFN", "+IN2P3", "SURF"][number % 5],
        },
        registration=lambda number: {
            "mode": "onsite" if number % 3 else "remote",
            "status": "confirmed" if number % 10 else "waiting",
            "waiting_since": None if number % 10 else now,
            "checked_in_at": now if number % 4 == 0 and number % 10 else None,
        },
        answers=lambda number: (["ATLAS", "CMS", "LHCb", "=SUM(A1)"][number % 4],
                                "yes" if number % 2 else "no"),
    )  # fmt: skip


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
