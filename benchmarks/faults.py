"""Faults of `make prod` itself, under a registration rush, each with printed figures and a
verdict. The stack is the one `make prod` runs: HAProxy, the app servers and the mail worker under
supervisord, configured by the same `manage.py prod_config supervisord` and `haproxy_config`; only
PostgreSQL, Redis and the SMTP server are private (benchmarks/stack.py: its own PostgreSQL
cluster, so stopping it disturbs nobody else).

    .venv/bin/python benchmarks/faults.py                 # every scenario
    .venv/bin/python benchmarks/faults.py kill-master     # or one of those below

kill-master   kill -9 one app server's gunicorn master (its workers die with it)
kill-app      kill -9 that master and its workers at once
kill-mailer   kill -9 the mail worker while it sends through a slow mail server
restart-db    stop PostgreSQL for 10 s
kill-super    kill -9 supervisord itself: every child must go with it (no port held), and
              `make prod` started again serves

For each: what a visitor probing the home page every 0.2 s got (pages, the site's error pages,
refused, closed without an answer), what the rush's requests got, when HAProxy took the server
out and back, who restarted what, registrations exact, mails sent / received / duplicated.
"""

import argparse
import csv
import http.client
import itertools
import os
import re
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

from django.db import close_old_connections
from load import check_mail, check_race, print_stats, read_stats, run_locust
from stack import RUSH_SLUG, Stack, fill

SCENARIO_NAMES = ["kill-master", "kill-app", "kill-mailer", "restart-db", "kill-super"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", choices=[*SCENARIO_NAMES, []], help="default: all")
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--export-rows", type=int, default=200)
    parser.add_argument("--base-port", type=int, default=int(os.environ.get("BASE_PORT", 8300)))
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    args.scenarios = args.scenarios or SCENARIO_NAMES
    return args


def fetch(url: str) -> tuple[float, str]:
    """One visit: 'page', 'error page NNN' (the site's own), 'HTTP NNN', 'refused', 'closed'
    (connection closed without an answer) or 'timeout'."""
    try:
        with urllib.request.urlopen(url, timeout=15) as answer:  # noqa: S310 (our own stack)
            return time.monotonic(), "page" if answer.status == 200 else f"HTTP {answer.status}"
    except urllib.error.HTTPError as error:
        body = error.read()
        if b"Traceback" in body:
            return time.monotonic(), "traceback"
        page = b"Back in a moment" in body
        return time.monotonic(), f"error page {error.code}" if page else f"HTTP {error.code}"
    except ConnectionRefusedError:
        return time.monotonic(), "refused"
    except (http.client.RemoteDisconnected, ConnectionResetError, http.client.BadStatusLine):
        return time.monotonic(), "closed"
    except urllib.error.URLError as error:
        if isinstance(error.reason, ConnectionRefusedError):
            return time.monotonic(), "refused"
        if isinstance(error.reason, ConnectionResetError):
            return time.monotonic(), "closed"
        return time.monotonic(), "timeout"
    except TimeoutError:
        return time.monotonic(), "timeout"


class Probe(threading.Thread):
    """A visitor reloading the home page through HAProxy every 0.2 s, noting what it got."""

    def __init__(self, stack: Stack):
        super().__init__(daemon=True)
        self.url = stack.site + "/"
        self.seen: list[tuple[float, str]] = []
        self.running = True

    def run(self):
        while self.running:
            self.seen.append(fetch(self.url))
            time.sleep(0.2)

    def stop(self):
        self.running = False
        self.join(timeout=20)

    def between(self, start: float, end: float = float("inf")) -> Counter:
        return Counter(kind for moment, kind in self.seen if start <= moment < end)

    def longest_without_page(self) -> float:
        """The longest stretch between two visits that got a page."""
        pages = [moment for moment, kind in self.seen if kind == "page"]
        return max((b - a for a, b in itertools.pairwise(pages)), default=0.0)


class StateWatch(threading.Thread):
    """HAProxy's view of web1, every 0.1 s: when it went DOWN and when it came back UP."""

    def __init__(self, stack: Stack, server: str = "web1"):
        super().__init__(daemon=True)
        self.stack, self.server = stack, server
        self.changes: list[tuple[float, str]] = []
        self.running = True

    def run(self):
        last = None
        while self.running:
            state = self.stack.server_states().get(self.server, "?").split()[0]
            if state != last:
                self.changes.append((time.monotonic(), state))
                last = state
            time.sleep(0.1)

    def first(self, state: str, after: float) -> float | None:
        moments = [m for m, s in self.changes if s == state and m >= after]
        return moments[0] - after if moments else None


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
    from escape_events.events.models import Event
    from escape_events.outbox.models import OutgoingMail
    from escape_events.registrations.mails import SUBJECTS
    from escape_events.registrations.models import Registration

    event = Event.objects.get(slug=RUSH_SLUG)
    people = sorted(Registration.objects.filter(event=event).values_list("user__email", flat=True))
    stored = OutgoingMail.objects.filter(
        event=event, subject=SUBJECTS["registered"] % {"event": event.title}
    ).values_list("recipients", flat=True)
    confirmed = sorted(address for recipients in stored for address in recipients)
    return confirmed == people, "every registration has exactly one confirmation stored " \
                                f"({len(people)} rows, {len(confirmed)} mails)"  # fmt: skip


CLOSED = ("RemoteDisconnected", "ConnectionReset", "ConnectionAborted", "BadStatusLine")


def rush_outcome(stack: Stack) -> tuple[int, Counter]:
    """The rush's requests, and what its failed ones got: the site's error pages by status,
    'refused', or 'closed' (no answer at all)."""
    rows = finish_rows(stack)
    total = sum(int(row["Request Count"]) for row in rows if row["Name"] != "Aggregated")
    kinds = Counter()
    for kind, count in failure_kinds(stack).items():
        if any(word in kind for word in CLOSED):
            kinds["closed"] += count
        elif "ConnectionRefused" in kind:
            kinds["refused"] += count
        else:
            kinds[kind] += count
    return total, kinds


def finish_rows(stack: Stack) -> list[dict]:
    rows = read_stats(stack.folder / "locust")
    print_stats(rows)
    return rows


def mails(stack: Stack, timeout: float = 180) -> dict:
    """Once the outbox drained: registrations, mails marked sent, received, duplicated."""
    from escape_events.outbox.models import OutgoingMail
    from escape_events.registrations.models import Registration

    check_mail(stack, timeout=timeout)  # waits for the outbox to drain
    expected = Registration.objects.filter(event__slug=RUSH_SLUG).count()
    received = [item for item in stack.mail.received if "Rush hands-on" in (item[2] or "")]
    distinct = len({item[0] for item in received})
    return {
        "registrations": expected,
        "sent": OutgoingMail.objects.filter(status="sent", event__slug=RUSH_SLUG).count(),
        "received": distinct,
        "duplicated": len(received) - distinct,
        "failed": OutgoingMail.objects.filter(status="failed").count(),
    }


def run_fault(stack: Stack, args, name: str, fault, *, duration: int = 45) -> bool:
    """A rush with a visitor probing; `fault()` at 12 s returns its own figures and checks."""
    watch, probe = StateWatch(stack), Probe(stack)
    locust = rush(stack, args, duration)
    watch.start()
    probe.start()
    time.sleep(12)
    before = {process: stack.pid(process) for process in ("haproxy", "web1", "web2", "mailer")}
    at = time.monotonic()
    figures, checks = fault(stack, at)
    locust.communicate()
    time.sleep(2)
    probe.stop()
    watch.running = False
    close_old_connections()  # this script's connection may have died with a fault
    total, failed = rush_outcome(stack)
    after = {process: stack.pid(process) for process in before}
    restarted = sorted(process for process in before if before[process] != after[process])
    seen = probe.between(0)
    out, back = watch.first("DOWN", at), watch.first("UP", at)
    race_ok, race = check_race(args.seats)
    confirmations_ok, confirmations = confirmations_match_registrations()
    mail = mails(stack)
    figures = {
        "scenario": name,
        "probes": dict(seen),
        "longest without a page (s)": round(probe.longest_without_page(), 1),
        "rush requests": total,
        "rush failed": dict(failed),
        "web1 out of HAProxy after (s)": None if out is None else round(out, 2),
        "web1 back in after (s)": None if back is None else round(back, 2),
        "restarted by supervisord": restarted,
        **figures,
        "race": race,
        "mails": mail,
    }
    print("FIGURES " + repr(figures))
    return verdict([
        *checks(seen, failed, restarted),
        (race_ok, f"registrations exact: {race}"),
        (confirmations_ok, confirmations),
        (mail["received"] == mail["registrations"] == mail["sent"] and mail["duplicated"] == 0,
         f"mails: {mail}"),
    ])  # fmt: skip


def always_answered(seen: Counter, failed: Counter, *, allowed=("page",)) -> list:
    pages = {"error page 502", "error page 503", "error page 504"}
    return [
        (seen["closed"] == 0 and failed["closed"] == 0,
         f"no connection closed without an answer (probes {seen['closed']}, rush "
         f"{failed['closed']})"),
        (set(seen) <= {*allowed, *pages},
         f"every probe got a page or the site's error page: {dict(seen)}"),
        (set(failed) <= {f"HTTP {status}" for status in (502, 503, 504)},
         f"every failed rush request got the site's error page: {dict(failed)}"),
    ]  # fmt: skip


def kill_web1(*, group: bool):
    def fault(stack: Stack, at: float):
        pid = stack.pid("web1")
        if group:
            os.killpg(pid, signal.SIGKILL)  # the master and its workers
        else:
            os.kill(pid, signal.SIGKILL)
        print(f"  kill -9 web1's master{' and workers' if group else ''} (pid {pid})")
        stack.wait_until(lambda: stack.pid("web1") not in (0, pid), "web1 restarted", 60)
        restarted = time.monotonic() - at
        stack.wait_until(lambda: stack.servers_up() == 2, "web1 back in HAProxy", 60)

        def checks(seen, failed, restarted_names):
            return [
                *always_answered(seen, failed),
                (restarted_names == ["web1"], f"only web1 restarted: {restarted_names}"),
            ]

        return {"web1 running again after (s)": round(restarted, 1)}, checks

    return fault


def kill_mailer(stack: Stack, at: float):
    from django.core.mail import EmailMessage

    from escape_events.outbox.models import OutgoingMail
    from escape_events.outbox.services import store

    # A slow mail server (3 s a mail): the kill lands while the worker waits on its answer.
    stack.mail.delay = 3
    # On a quiet machine the rush's confirmations are all out before the fault: a queue of mails
    # to nobody of the rush (not counted by check_mail) keeps the worker mid-send when killed.
    store(
        EmailMessage(f"Queue {number}", "Keeps the worker busy.", to=[f"q{number}@example.org"])
        for number in range(5)
    )
    stack.wait_until(
        lambda: OutgoingMail.objects.filter(status="sending").exists(), "a mail being sent", 30
    )
    sending = list(OutgoingMail.objects.filter(status="sending").values_list("pk", flat=True))
    pid = stack.pid("mailer")
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    print(f"  kill -9 the mail worker (pid {pid}) while sending mail(s) {sending}")
    stack.wait_until(lambda: stack.pid("mailer") not in (0, pid), "mailer restarted", 60)
    restarted = time.monotonic() - killed
    stack.wait_until(
        lambda: not OutgoingMail.objects.filter(pk__in=sending).exclude(status="sent").exists(),
        "the killed worker's mail sent", 120,
    )  # fmt: skip
    resumed = time.monotonic() - killed

    def checks(seen, failed, restarted_names):
        return [
            *always_answered(seen, failed),
            (restarted_names == ["mailer"], f"only the mailer restarted: {restarted_names}"),
            (resumed <= 60, f"the mail it was sending went out {resumed:.1f} s later"),
        ]

    return {
        "mailer running again after (s)": round(restarted, 1),
        "killed worker's mail sent after (s)": round(resumed, 1),
    }, checks


def restart_db(stack: Stack, at: float):
    stack.postgres.stop("fast")
    print("  PostgreSQL stopped (fast shutdown: every connection cut) for 10 s")
    time.sleep(10)
    stack.postgres.start()
    started = time.monotonic()
    stack.wait_until(lambda: stack.servers_up() == 2, "app servers back in HAProxy", 60)
    up_again = time.monotonic() - started

    def checks(seen, failed, restarted_names):
        return [
            *always_answered(seen, failed),
            (restarted_names == [], f"no process restarted: {restarted_names}"),
        ]

    return {"both servers back after PostgreSQL (s)": round(up_again, 1)}, checks


def kill_supervisor(stack: Stack, at: float):
    supervisord = stack.processes.pop("supervisord")
    children = [stack.pid(name) for name in ("haproxy", "web1", "web2", "mailer")]
    os.kill(supervisord.pid, signal.SIGKILL)
    supervisord.wait()
    print(f"  kill -9 supervisord (pid {supervisord.pid}); its children: {children}")

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    gone = stack.wait_until(lambda: not any(alive(pid) for pid in children), "children gone", 30)
    ports = [stack.base, stack.base + 1, stack.base + 2, stack.stats_port]
    held = [port for port in ports if fetch(f"http://127.0.0.1:{port}/")[1] != "refused"]
    started = time.monotonic()
    stack.start_supervisor()  # `make prod` again
    stack.wait_until(lambda: stack.servers_up() == 2, "the stack serving again", 90)
    serving = time.monotonic() - started

    def checks(seen, failed, restarted_names):
        return [
            # The stack stops with its supervisor: a request in flight in the dying HAProxy
            # cannot be answered, so refused and closed probes are expected here.
            (gone <= 3, f"every child gone {gone:.1f} s after supervisord was killed"),
            (held == [], f"no port held afterwards: {held}"),
            (seen["page"] > 0, f"serving again after the restart: {dict(seen)}"),
        ]

    return {
        "children gone after (s)": round(gone, 1),
        "ports still held": held,
        "serving again after restart (s)": round(serving, 1),
    }, checks


SCENARIOS = {
    "kill-master": kill_web1(group=False),
    "kill-app": kill_web1(group=True),
    "kill-mailer": kill_mailer,
    "restart-db": restart_db,
    "kill-super": kill_supervisor,
}


def run_one(name: str, args) -> bool:
    print(f"\n== {name}: make prod's supervisord and HAProxy, 2 app servers x 2 workers, "
          f"{args.users} people")  # fmt: skip
    stack = Stack(
        base_port=args.base_port, app_servers=2, web_workers=2, keep=args.keep, supervised=True
    )
    try:
        stack.start()
        stack.use_in_this_process()
        return run_fault(stack, args, name, SCENARIOS[name])
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
