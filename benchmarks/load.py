"""Load test of the production stack with Locust: one app server, then two behind HAProxy.

    .venv/bin/python benchmarks/load.py                      # 120 people, 60 s per layout
    .venv/bin/python benchmarks/load.py --users 200 --duration 90 --layouts 1x2 2x2 1x4

Each layout (SERVERSxWORKERS: app servers x gunicorn workers each) gets a fresh private stack
(benchmarks/stack.py: its own PostgreSQL, Redis, HAProxy, workers, SMTP server). The mix: people
browsing anonymously, signed-in people rushing to register for a hands-on with fewer seats than
people, calendar clients polling the all-events feed with If-None-Match, one organiser exporting
a 2,000-person participant list. Prints p50/p95/p99, error rate and requests per second per
endpoint, then checks the race (no overbooking) and the mails (one per registration).
Locust runs on the same machine and takes CPU from the app servers: read the figures as relative.
"""

import argparse
import csv
import os
import subprocess
import sys
import time
from pathlib import Path

from stack import PYTHON, ROOT, RUSH_SLUG, Stack, fill

HERE = Path(__file__).resolve().parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=120, help="simulated people at once")
    parser.add_argument("--spawn-rate", type=float, default=30, help="new people per second")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load per layout")
    parser.add_argument("--layouts", nargs="+", default=["1x2", "2x2"], help="SERVERSxWORKERS")
    parser.add_argument("--seats", type=int, default=20, help="seats of the rush hands-on")
    parser.add_argument("--export-rows", type=int, default=2000)
    parser.add_argument("--base-port", type=int, default=int(os.environ.get("BASE_PORT", 8300)))
    parser.add_argument("--keep", action="store_true", help="keep the stack's folder (logs)")
    return parser.parse_args()


def run_locust(stack: Stack, args, prefix: Path, users: int, duration: int) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
         "--users", str(users), "--spawn-rate", str(args.spawn_rate), "--run-time",
         f"{duration}s", "--host", stack.site, "--csv", str(prefix), "--only-summary",
         "--stop-timeout", "5", "--loglevel", "ERROR"],
        cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "LOAD_SESSIONS": str(stack.folder / "sessions.txt")},
    )  # fmt: skip


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def print_stats(rows: list[dict]) -> dict:
    print(f"  {'endpoint':34} {'requests':>8} {'errors':>7} {'p50':>7} {'p95':>7} {'p99':>7} "
          f"{'req/s':>7}")  # fmt: skip
    total = {}
    for row in rows:
        count, failures = int(row["Request Count"]), int(row["Failure Count"])
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        rate = failures / count * 100 if count else 0
        print(f"  {name:34} {count:8d} {rate:6.2f}% {row['50%']:>5}ms {row['95%']:>5}ms "
              f"{row['99%']:>5}ms {float(row['Requests/s']):7.1f}")  # fmt: skip
        if name == "ALL":
            total = {"requests": count, "errors": rate, "rps": float(row["Requests/s"]),
                     "p50": row["50%"], "p95": row["95%"], "p99": row["99%"]}  # fmt: skip
    return total


def check_race(seats: int) -> tuple[bool, str]:
    """Exactly min(seats, people) confirmed, the rest waiting in an unbroken order, one row each."""
    from django.db.models import Count

    from escape_events.registrations.models import Registration

    rows = Registration.objects.filter(event__slug=RUSH_SLUG)
    confirmed = rows.filter(status=Registration.Status.CONFIRMED).count()
    waiting = rows.filter(status=Registration.Status.WAITING).count()
    twice = rows.values("user").annotate(n=Count("pk")).filter(n__gt=1).count()
    ok = confirmed == min(seats, confirmed + waiting) and twice == 0
    return ok, f"{confirmed} confirmed of {seats} seats, {waiting} waiting, {twice} people twice"


def check_mail(stack: Stack, timeout: float = 120) -> tuple[bool, str]:
    """Every registration's mail arrives once (after the outbox drained)."""
    from escape_events.outbox.models import OutgoingMail
    from escape_events.registrations.models import Registration

    expected = Registration.objects.filter(event__slug=RUSH_SLUG).count()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = OutgoingMail.objects.exclude(status__in=["sent", "failed"]).count()
        if pending == 0 and OutgoingMail.objects.count() >= expected:
            break
        time.sleep(1)
    to_rush = [item for item in stack.mail.received if "Rush hands-on" in (item[2] or "")]
    distinct = len({item[0] for item in to_rush})
    failed = OutgoingMail.objects.filter(status="failed").count()
    ok = distinct == expected and len(to_rush) == expected and failed == 0
    return ok, (f"{expected} registrations, {distinct} distinct mails received, "
                f"{len(to_rush) - distinct} duplicates, {failed} failed")  # fmt: skip


def run_layout(args, layout: str) -> dict:
    servers, workers = (int(part) for part in layout.split("x"))
    print(f"\n== {servers} app server(s) x {workers} gunicorn workers behind HAProxy, "
          f"{args.users} people, {args.duration} s")  # fmt: skip
    stack = Stack(base_port=args.base_port, app_servers=servers, web_workers=workers,
                  keep=args.keep)  # fmt: skip
    try:
        stack.start()
        stack.use_in_this_process()
        sessions = fill(registrants=args.users, seats=args.seats, export_rows=args.export_rows)
        (stack.folder / "sessions.txt").write_text("\n".join(sessions))
        prefix = stack.folder / "locust"
        locust = run_locust(stack, args, prefix, args.users, args.duration)
        _, errors = locust.communicate()
        if not Path(f"{prefix}_stats.csv").exists():
            raise SystemExit(f"Locust failed:\n{errors}")
        total = print_stats(read_stats(prefix))
        race_ok, race = check_race(args.seats)
        mail_ok, mail = check_mail(stack)
        print(f"  race: {'OK' if race_ok else 'WRONG'} ({race})")
        print(f"  mail: {'OK' if mail_ok else 'WRONG'} ({mail})")
        return {"layout": layout, **total, "race": race_ok, "mail": mail_ok}
    finally:
        stack.stop()  # first: whatever failed, no process of the stack is left behind


def main():
    args = parse_args()
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load average {load:.1f} before the run; Locust, PostgreSQL, "
          "Redis, HAProxy and the app servers all share them.")  # fmt: skip
    results = []
    for layout in args.layouts:
        # A fresh interpreter per layout: Django is set up once per process.
        result = subprocess.run(
            [PYTHON, __file__, "--one-layout", layout, *sys.argv[1:]], cwd=ROOT, text=True,
            capture_output=False,
        )  # fmt: skip
        results.append((layout, result.returncode))
    failed = [layout for layout, code in results if code]
    print(f"\nVerdict: {'all layouts exact' if not failed else 'WRONG in ' + ', '.join(failed)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if "--one-layout" in sys.argv:
        index = sys.argv.index("--one-layout")
        layout = sys.argv[index + 1]
        del sys.argv[index : index + 2]
        outcome = run_layout(parse_args(), layout)
        print(f"  throughput: {outcome['rps']:.1f} requests/s, errors {outcome['errors']:.2f}%")
        sys.exit(0 if outcome["race"] and outcome["mail"] else 1)
    main()
