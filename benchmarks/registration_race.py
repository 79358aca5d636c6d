"""Race N clients for M on-site seats over HTTP against gunicorn with several workers on PostgreSQL.

    .venv/bin/python benchmarks/registration_race.py --clients 200 --seats 50 --workers 4

Creates (and afterwards drops) its own database, starts gunicorn, logs every client in, releases
them together, and prints registrations per second, p50/p95 latency and the overbooking count,
which must be 0.
"""

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL"
    )
    parser.add_argument("--database", default=f"race_bench_{os.getpid()}")
    return parser.parse_args()


def recreate_database(server: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(clients: int, seats: int) -> tuple[str, list[str]]:
    """Migrate, create the event and the people; returns the event slug and session keys."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escape_events.settings")
    django.setup()
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from escape_events.events.models import Event
    from escape_events.registrations.models import RegistrationSettings

    call_command("migrate", verbosity=0)
    now = timezone.now()
    event = Event.objects.create(
        title="Race benchmark", slug="race-benchmark", start=now + timedelta(days=10),
        end=now + timedelta(days=10, hours=3),
    )  # fmt: skip
    RegistrationSettings.objects.create(
        event=event, opens_at=now - timedelta(days=1), onsite_capacity=seats, remote_capacity=None
    )
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"racer{i}", email=f"racer{i}@example.org", password="!")  # noqa: S106 - unusable password
        for i in range(clients)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    connections.close_all()
    return event.slug, keys


def start_server(database_url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"), "escape_events.wsgi",
            "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10)
            return server
        except OSError:  # not listening yet, or still starting up
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def race(port: int, slug: str, keys: list[str]) -> tuple[list[float], list[int], float]:
    opener = urllib.request.build_opener(NoRedirect)
    barrier = threading.Barrier(len(keys) + 1)
    latencies: list[float] = [0.0] * len(keys)
    statuses: list[int] = [0] * len(keys)
    url = f"http://127.0.0.1:{port}/events/{slug}/register/"

    def client(index: int, key: str) -> None:
        token = secrets.token_hex(16)  # an unmasked 32-character CSRF secret, as Django accepts
        request = urllib.request.Request(
            url,
            data=urlencode({"attend": "onsite", "csrfmiddlewaretoken": token}).encode(),
            headers={"Cookie": f"sessionid={key}; csrftoken={token}"},
            method="POST",
        )
        barrier.wait()
        started = time.perf_counter()
        try:
            with opener.open(request, timeout=30) as response:
                statuses[index] = response.status
        except urllib.error.HTTPError as error:
            statuses[index] = error.code
        except OSError:  # timed out or reset: counted as a failed response
            statuses[index] = -1
        latencies[index] = time.perf_counter() - started

    threads = [threading.Thread(target=client, args=item) for item in enumerate(keys)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - started


def count(slug: str) -> dict[str, int]:
    from django.db.models import Count

    from escape_events.registrations.models import Registration

    rows = Registration.objects.filter(event__slug=slug).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    args = parse_args()
    args.port = args.port or free_port()
    database_url = f"{args.server}/{args.database}"
    os.environ["DATABASE_URL"] = database_url
    recreate_database(args.server, args.database)
    server = None
    try:
        slug, keys = prepare(args.clients, args.seats)
        server = start_server(database_url, args.port, args.workers)
        latencies, statuses, wall = race(args.port, slug, keys)
        counts = count(slug)
    finally:
        if server:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        from django.db import connections

        connections.close_all()
        recreate_database(args.server, args.database, drop_only=True)
    confirmed = counts.get("confirmed", 0)
    ordered = sorted(latencies)
    host = urlparse(args.server).hostname
    print(f"server            gunicorn, {args.workers} workers, PostgreSQL on {host}")
    print(f"clients / seats   {args.clients} racing for {args.seats} on-site seats")
    print(f"responses         {sum(s == 302 for s in statuses)} redirects (registered), "
          f"{sum(s != 302 for s in statuses)} other")  # fmt: skip
    print(f"registrations/s   {args.clients / wall:.0f}  (all {args.clients} in {wall:.2f} s)")
    print(f"latency p50       {statistics.median(ordered) * 1000:.0f} ms")
    print(f"latency p95       {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.0f} ms")
    print(f"confirmed         {confirmed}")
    print(f"waiting list      {counts.get('waiting', 0)}")
    print(f"overbooked        {max(confirmed - args.seats, 0)}")
    if confirmed > args.seats:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
