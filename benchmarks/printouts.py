"""What do badge PDFs cost beyond WeasyPrint itself, and what does the background path add?

Run:  .venv/bin/python benchmarks/printouts.py [--rows 2000] [--runs 3] [--url postgres://...]

Uses its own database (default postgres://postgres@127.0.0.1:5432/printouts_bench, created if
missing, migrated, filled once and reused): one event with `rows` confirmed on-site people with
names and affiliations. For 200 and for `rows` badges (8 to an A4 page) it times, in
interleaved rounds:
  - the floor: WeasyPrint turning the same badges' HTML, made beforehand and kept as one static
    string, into a PDF (layout and writing: what no code of ours can save);
  - the product: `render_printout` as the worker calls it (the people's query, a QR code each,
    text fitted to every box, the template, WeasyPrint in chunks of 96 badges, the pages joined);
and prints the median and the spread (min-max) of each and the ratio to the floor. Then, once
each, the peak of Python memory (tracemalloc) of floor and product, and the whole background
path for `rows`: a job requested, the worker making it with its progress written, the file kept.
"""

import statistics
import time
import tracemalloc
from datetime import timedelta

from crowd import arguments, fill_event, start_django

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
    return fill_event(
        slug=SLUG,
        title="Benchmark: SWAN hands-on session (demo edition)",
        rows=rows,
        start=timezone.now() + timedelta(days=60),
        length=timedelta(hours=3),
        username="print-bench-",
        person=lambda n: {
            "email": f"print-bench-{n}@example.org",
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


def seconds(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def peak_mib(run) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def spread(values) -> str:
    return f"{statistics.median(values):7.2f} s ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    event = fill(ARGS.rows)
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs, runs {ARGS.runs}")
    everyone = people_for(BADGES, event)
    for count in sorted({200, ARGS.rows}):
        html = static_html(event, everyone[:count])
        product(event, min(count, 16))  # warm up fonts and templates
        floors, products, sizes = [], [], []
        for _ in range(ARGS.runs):
            floors.append(seconds(lambda html=html, sizes=sizes: sizes.append(len(floor(html)))))
            products.append(
                seconds(lambda count=count, sizes=sizes: sizes.append(len(product(event, count))))
            )
        ratios = [p / f for p, f in zip(products, floors, strict=True)]
        print(
            f"{count:5,} badges  floor {spread(floors)}  product {spread(products)}  "
            f"ratio {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})  "
            f"PDF {sizes[0] / 2**20:.1f} / {sizes[1] / 2**20:.1f} MiB"
        )
        floor_peak = peak_mib(lambda html=html: floor(html))
        product_peak = peak_mib(lambda count=count: product(event, count))
        print(
            f"{count:5,} badges  peak Python memory: floor {floor_peak:.0f} MiB, "
            f"product {product_peak:.0f} MiB ({product_peak / floor_peak:.2f}x)"
        )
    # The background path: request, worker with progress, file kept.
    PrintJob.objects.filter(event=event).delete()
    organiser = get_user_model().objects.filter(username="print-bench-0").first()
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
    main()
