"""Faults under load, each with a printed verdict, on a private stack (benchmarks/stack.py: its own
PostgreSQL cluster, so restarting it disturbs nobody else):

    .venv/bin/python benchmarks/faults.py                    # all three
    .venv/bin/python benchmarks/faults.py kill-app           # or kill-worker, restart-db

kill-app     kill -9 one of two app servers during a registration rush: HAProxy takes it out,
             requests in flight fail cleanly (502), none is half-written, the race stays exact.
kill-worker  kill -9 the mail worker while mails go out through a slow mail server, restart it:
             every registrant gets their mail, once.
restart-db   stop PostgreSQL for a few seconds under load: requests in the gap get the 503 page
             (never a traceback), the app recovers without a restart.
"""

import argparse
import csv
import os
import re
import sys
import threading
import time
from collections import Counter

from django.db import close_old_connections
from load import check_mail, check_race, print_stats, read_stats, run_locust
from stack import Stack, fill


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "scenarios", nargs="*", choices=["kill-app", "kill-worker", "restart-db", []],
        help="default: all three",
    )  # fmt: skip
    parser.add_argument("--users", type=int, default=80)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--export-rows", type=int, default=500)
    parser.add_argument("--base-port", type=int, default=int(os.environ.get("BASE_PORT", 8300)))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    args.scenarios = args.scenarios or ["kill-app", "kill-worker", "restart-db"]
    return args


class Probe(threading.Thread):
    """A visitor reloading the home page through HAProxy every 0.2 s, noting what it got."""

    def __init__(self, stack: Stack):
        super().__init__(daemon=True)
        self.stack = stack
        self.seen: list[tuple[float, int, str]] = []
        self.running = True

    def run(self):
        while self.running:
            status, body = self.stack.get("/", timeout=15)
            if b"Traceback" in body or b"OperationalError" in body:
                kind = "traceback"
            elif b"Back in a moment" in body:
                kind = "503 page"
            else:
                kind = "page" if status == 200 else "other"
            self.seen.append((time.monotonic(), status, kind))
            time.sleep(0.2)

    def between(self, start: float, end: float = float("inf")):
        return [(status, kind) for moment, status, kind in self.seen if start <= moment < end]


def verdict(checks: list[tuple[bool, str]]) -> bool:
    for ok, text in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {text}")
    passed = all(ok for ok, _ in checks)
    print(f"  Verdict: {'PASS' if passed else 'FAIL'}")
    return passed


def rush(stack: Stack, args, duration: int):
    sessions = fill(registrants=args.users, seats=args.seats, export_rows=args.export_rows)
    (stack.folder / "sessions.txt").write_text("\n".join(sessions))
    args.duration = duration
    return run_locust(stack, args, stack.folder / "locust", args.users, duration)


def finish(locust, stack: Stack) -> list[dict]:
    locust.communicate()
    rows = read_stats(stack.folder / "locust")
    print_stats(rows)
    return rows


def failure_kinds(stack: Stack) -> Counter:
    """What the failed requests got, from Locust's failure table (e.g. 'code=503': 120)."""
    kinds = Counter()
    with open(f"{stack.folder / 'locust'}_failures.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            code = re.search(r"(?:code=|answered )(\d{3})", row["Error"])
            kinds[f"HTTP {code.group(1)}" if code else row["Error"][:60]] += int(row["Occurrences"])
    return kinds


def confirmations_match_registrations() -> tuple[bool, str]:
    """Each registration stored its confirmation in its own transaction: one mail per row."""
    from stack import RUSH_SLUG

    from escape_events.events.models import Event
    from escape_events.outbox.models import OutgoingMail
    from escape_events.registrations.mails import SUBJECTS
    from escape_events.registrations.models import Registration

    event = Event.objects.get(slug=RUSH_SLUG)
    people = sorted(Registration.objects.filter(event=event).values_list("user__email", flat=True))
    stored = OutgoingMail.objects.filter(
        event=event, subject=SUBJECTS["registered"].format(event=event.title)
    ).values_list("recipients", flat=True)
    confirmed = sorted(address for recipients in stored for address in recipients)
    return confirmed == people, "every registration has exactly one confirmation stored " \
                                f"({len(people)} rows, {len(confirmed)} mails)"  # fmt: skip


def kill_app(stack: Stack, args) -> bool:
    duration = 45
    probe = Probe(stack)
    locust = rush(stack, args, duration)
    probe.start()
    time.sleep(12)
    killed_at = time.monotonic()
    stack.kill("web1")
    print("  kill -9 web1 (gunicorn master and workers) during the rush")
    taken_out = stack.wait_until(
        lambda: stack.server_states().get("web1", "").startswith("DOWN"), "web1 DOWN", 30
    )
    print(f"  HAProxy marked web1 DOWN after {taken_out:.1f} s")
    rows = finish(locust, stack)
    probe.running = False
    after = probe.between(killed_at + taken_out)
    errors = sum(int(row["Failure Count"]) for row in rows if row["Name"] != "Aggregated")
    kinds = failure_kinds(stack)
    stack.start_app(1)
    back = stack.wait_until(lambda: stack.servers_up() == 2, "web1 back UP", 60)
    race_ok, race = check_race(args.seats)
    mail_ok, mail = check_mail(stack)
    return verdict([
        (taken_out <= 10, f"HAProxy took the dead server out in {taken_out:.1f} s"),
        (all(status == 200 for status, _ in after),
         f"after that every probe got its page ({len(after)} probes)"),
        (set(kinds) <= {"HTTP 502", "HTTP 503", "HTTP 504"},
         f"failed requests fail cleanly (in flight on web1 when it died): {errors} "
         f"{dict(kinds)}; a registration in flight then exists whole or not at all:"),
        confirmations_match_registrations(),
        (race_ok, f"race exact across both servers: {race}"),
        (mail_ok, f"mails: {mail}"),
        (True, f"web1 restarted and back in HAProxy after {back:.1f} s"),
    ])  # fmt: skip


def kill_worker(stack: Stack, args) -> bool:
    from escape_events.outbox.models import OutgoingMail

    duration = 30
    stack.mail.delay = 0.3  # a slow mail server: the mail worker is mostly mid-send
    locust = rush(stack, args, duration)
    time.sleep(7)
    sending = OutgoingMail.objects.filter(status="sending").count()
    stack.kill("mailer")
    print(f"  kill -9 the mail worker ({sending} mail(s) being sent)")
    time.sleep(4)
    stack.start_mailer()
    print("  restarted it")
    finish(locust, stack)
    mail_ok, mail = check_mail(stack, timeout=180)
    return verdict([
        (mail_ok, f"every registrant got their mail once: {mail}"),
        confirmations_match_registrations(),
        check_race(args.seats),
    ])  # fmt: skip


def restart_db(stack: Stack, args) -> bool:
    duration = 40
    pids = {name: stack.processes[name].pid for name in ("web1", "web2", "mailer")}
    probe = Probe(stack)
    locust = rush(stack, args, duration)
    probe.start()
    time.sleep(12)
    stopped_at = time.monotonic()
    stack.postgres.stop("fast")
    print("  PostgreSQL stopped (fast shutdown: every connection cut)")
    time.sleep(5)
    stack.postgres.start()
    started_at = time.monotonic()
    print("  PostgreSQL started again after 5 s")
    recovered = stack.wait_until(
        lambda: any(status == 200 for status, _ in probe.between(started_at)), "a 200", 60
    )
    finish(locust, stack)
    probe.running = False
    close_old_connections()  # this script's own connection died with the restart too
    gap = probe.between(stopped_at, started_at)
    kinds = sorted({f"{status} {kind}" for status, kind in gap})
    failures = failure_kinds(stack)
    alive = all(stack.processes[name].poll() is None and stack.processes[name].pid == pid
                for name, pid in pids.items())  # fmt: skip
    race_ok, race = check_race(args.seats)
    mail_ok, mail = check_mail(stack)
    return verdict([
        (all(kind == "503 page" for _, kind in gap) and gap != [],
         f"during the gap every probe got the 503 page: {len(gap)} probes, {kinds}"),
        (not any(kind == "traceback" for _, kind in probe.between(0)), "no traceback, ever"),
        (recovered <= 15, f"pages again {recovered:.1f} s after PostgreSQL was back"),
        (alive, "no app server or worker was restarted (same processes)"),
        (set(failures) <= {"HTTP 503"},
         f"every failed request got a 503: {sum(failures.values())} {dict(failures)}"),
        (race_ok, f"race exact: {race}"),
        (mail_ok, f"mails: {mail}"),
    ])  # fmt: skip


SCENARIOS = {"kill-app": kill_app, "kill-worker": kill_worker, "restart-db": restart_db}


def run_one(name: str, args) -> bool:
    print(f"\n== {name}: 2 app servers x 2 workers behind HAProxy, {args.users} people")
    stack = Stack(base_port=args.base_port, app_servers=2, web_workers=2, keep=args.keep)
    try:
        stack.start()
        stack.use_in_this_process()
        return SCENARIOS[name](stack, args)
    finally:
        stack.stop()  # first: whatever failed, no process of the stack is left behind


if __name__ == "__main__":
    arguments = parse_args()
    if len(arguments.scenarios) == 1:
        sys.exit(0 if run_one(arguments.scenarios[0], arguments) else 1)
    import subprocess

    # One interpreter per scenario (Django is set up once per process, on that stack).
    passed_on = [argument for argument in sys.argv[1:] if argument not in SCENARIOS]
    results = {}
    for name in arguments.scenarios:
        command = [sys.executable, __file__, name, *passed_on]
        results[name] = subprocess.run(command).returncode
    print("\n" + "\n".join(f"{name}: {'PASS' if code == 0 else 'FAIL'}"
                           for name, code in results.items()))  # fmt: skip
    sys.exit(1 if any(results.values()) else 0)
