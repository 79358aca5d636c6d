"""What do badge PDFs cost beyond WeasyPrint itself, and what does the background path add?

Run:  .venv/bin/python benchmarks/printouts.py [--rows 2000] [--runs 3] [--url postgres://...]

Uses its own database (default postgres://postgres@127.0.0.1:5432/printouts_bench, created if
missing, migrated, filled once and reused): one event with `rows` confirmed on-site people with
names and affiliations. For 200 and for `rows` badges (8 to an A4 page) it measures, in
interleaved rounds, each in a fresh process (its time, and its peak resident memory, which is
what a worker needs):
  - the floor: WeasyPrint turning the same badges' HTML, made beforehand and kept as one static
    string, into a PDF (layout and writing: what no code of ours can save);
  - the product: `render_printout` as the worker calls it (the people's query, a QR code each,
    text fitted to every box, the template, WeasyPrint in chunks of 96 badges, the pages joined);
and prints the median and the spread (min-max) of each and the ratio to the floor. Then, once,
the whole background path for 200 badges: a job requested, the worker making it with its
progress written, the file kept and served again for the same data.
"""

import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta

from crowd import arguments, fill_event, start_django

CHILD = sys.argv[1:2] == ["--child"]  # one measurement: --child floor|product COUNT URL
if CHILD:
    start_django(sys.argv[4])
else:
    ARGS = arguments(
        __doc__, database="printouts_bench", rows=2_000, repeat="runs", times=3,
        environ="BENCH_PRINTOUTS_URL",
    )  # fmt: skip
    start_django(ARGS.url)

import os  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402
from weasyprint import HTML  # noqa: E402

from escape_events.organisers.models import PrintJob  # noqa: E402
from escape_events.organisers.printouts import (  # noqa: E402
    PRINTOUTS,
    jobs,
    people_for,
    render_printout,
)
from escape_events.organisers.printouts import badges as badge_module  # noqa: E402

SLUG = "benchmark-printouts"
BADGES = PRINTOUTS["badges"]
AFFILIATIONS = ["CERN", "INFN Sezione di Bologna", "Max-Planck-Institut für Kernphysik", "SKAO"]


def fill(rows: int):
    """The event of `rows` people (one per list size, made once)."""
    return fill_event(
        slug=f"{SLUG}-{rows}",
        title="Benchmark: SWAN hands-on session (demo edition)",
        rows=rows,
        start=timezone.now() + timedelta(days=60),
        length=timedelta(hours=3),
        username=f"print-bench-{rows}-",
        person=lambda n: {
            "email": f"print-bench-{rows}-{n}@example.org",
            "first_name": f"Person{n}",
            "last_name": ["Lovelace", "Sklodowska-Curie", "von Wolkenstein-Trostburg"][n % 3],
            "affiliation": AFFILIATIONS[n % 4],
        },
        registration=lambda n: {"mode": "onsite", "status": "confirmed"},
        answers=lambda n: (["ATLAS", "CMS"][n % 2], "yes"),
    )


def static_html(event, people) -> str:
    """The same badges as one static HTML document (the floor's input), made once."""
    design = badge_module.design_for(event)
    pages = badge_module.badge_pages(event, design, people)
    original = badge_module.CHUNK
    badge_module.CHUNK = len(people) + 8
    try:
        (html,) = badge_module.badge_html(event, design, pages, "")
    finally:
        badge_module.CHUNK = original
    return html


def floor(html: str) -> bytes:
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


def product(event, count: int) -> bytes:
    people = people_for(BADGES, event)[:count]
    pdf, _ = render_printout(BADGES, event, people=people)
    return pdf


def child(kind: str, count: int) -> None:
    """Run one measurement in this process and print its seconds, peak RSS and PDF size."""
    event = fill(count)  # made by the parent: this only finds it
    everyone = people_for(BADGES, event)
    html = static_html(event, everyone[:count]) if kind == "floor" else ""
    product(event, 8)  # warm up fonts and templates in both
    floor(static_html(event, everyone[:8]))
    started = time.perf_counter()
    pdf = floor(html) if kind == "floor" else product(event, count)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.3f} {peak:.0f} {len(pdf)}")


def measure(kind: str, count: int) -> tuple[float, float, int]:
    script = [sys.executable, __file__, "--child", kind, str(count), ARGS.url]
    output = subprocess.run(script, check=True, capture_output=True, text=True).stdout
    seconds, peak, size = output.split()[-3:]
    return float(seconds), float(peak), int(size)


def spread(values, unit="s", digits=1) -> str:
    return (
        f"{statistics.median(values):.{digits}f} {unit} "
        f"({min(values):.{digits}f}-{max(values):.{digits}f})"
    )


def main() -> None:
    for count in sorted({200, ARGS.rows}):
        fill(count)
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs, runs {ARGS.runs}")
    for count in sorted({200, ARGS.rows}):
        rounds = {"floor": [], "product": []}
        for _ in range(ARGS.runs):
            for kind in rounds:
                rounds[kind].append(measure(kind, count))
                print(f"  {count} {kind}: {rounds[kind][-1]}", flush=True)
        floors, products = rounds["floor"], rounds["product"]
        ratios = [p[0] / f[0] for p, f in zip(products, floors, strict=True)]
        print(
            f"{count:5,} badges  floor {spread([f[0] for f in floors])}  "
            f"product {spread([p[0] for p in products])}  "
            f"ratio {spread(ratios, 'x', 2)}  "
            f"peak RSS floor {spread([f[1] for f in floors], 'MiB', 0)}, "
            f"product {spread([p[1] for p in products], 'MiB', 0)}  "
            f"PDF {floors[0][2] / 2**20:.1f} / {products[0][2] / 2**20:.1f} MiB",
            flush=True,
        )
    background()


def background() -> None:
    """The background path for 200 badges: request, worker with progress, file kept."""
    event = fill(200)
    PrintJob.objects.filter(event=event).delete()
    organiser = get_user_model().objects.filter(username="print-bench-200-0").first()
    started = time.perf_counter()
    job = jobs.request_job(printout=BADGES, event=event, by=organiser)
    requested = time.perf_counter() - started
    made = jobs.make_next()
    total = time.perf_counter() - started
    assert made.pk == job.pk and made.status == PrintJob.Status.DONE, made.failure
    print(
        f"background {made.total:,} badges: request {requested * 1000:.0f} ms (the page returns), "
        f"worker {total:.1f} s, kept {made.file.size / 2**20:.1f} MiB; a second request for "
        "the same data reuses it: "
        f"{jobs.request_job(printout=BADGES, event=event, by=organiser).pk == made.pk}"
    )
    made.file.delete()
    made.delete()


if __name__ == "__main__":
    if CHILD:
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
