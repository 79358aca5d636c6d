"""The registration rush against the product and against the floor, over HTTP, in the same run.

    .venv/bin/python benchmarks/registration_race.py --rounds 5 --redis redis://127.0.0.1:6379/11

For each scenario (N signed-in people for M on-site seats; by default 40/10 and 200/50) and each
round, N clients load the event page at the same moment (a burst of N GETs), then all POST the
registration form at the same moment. The same happens against the floor (benchmarks/floor/: a
minimal Django app with database sessions, CSRF and auth whose one view locks the event row, counts
the confirmed rows and inserts one), served by the same gunicorn setup (same workers, same
connection settings). Rounds alternate which server goes first. Prints per round and in summary
the medians of both, their ratio, and checks after every race that exactly M people are confirmed
and the rest wait (0 overbooked). Creates and afterwards drops two databases of its own.
"""

import argparse
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--scenario", action="append", default=[], help="clients:seats (default 40:10 and 200:50)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers per server")
    parser.add_argument("--port", type=int, default=0, help="the product's port (floor: +1)")
    parser.add_argument(
        "--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL"
    )
    parser.add_argument("--database", default=f"race_bench_{os.getpid()}")
    parser.add_argument(
        "--redis", default="", help="REDIS_URL for the product (shared cache, cached sessions)"
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="DB_CONN_MAX_AGE for both servers (60: persistent, as in production; 0: per request)",
    )
    args = parser.parse_args()
    chosen = args.scenario or ["40:10", "200:50"]
    args.scenario = [tuple(map(int, item.split(":"))) for item in chosen]
    return args


def recreate_database(server: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def slug_for(clients: int, seats: int) -> str:
    return f"race-{clients}-for-{seats}"


@dataclass
class Server:
    """One gunicorn serving either the product or the floor; knows how to reset and count."""

    name: str
    port: int
    keys: list[str] = field(default_factory=list)
    process: subprocess.Popen | None = None

    def start(self, app: str, env: dict, workers: int, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [GUNICORN, app, "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--no-control-socket"],
            cwd=cwd, env={**os.environ, **env},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10)
                return
            except urllib.error.HTTPError:
                return  # answering (a redirect to the login page, a 404): up
            except OSError:  # not listening yet
                time.sleep(0.2)
        raise SystemExit(f"{self.name}: gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Product(Server):
    def prepare(self, scenarios, clients: int) -> None:
        """Migrate, create one event per scenario and the people; keep their session keys."""
        import django

        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escape_events.settings")
        django.setup()
        from importlib import import_module

        from allauth.account.models import EmailAddress
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.utils import timezone
        from floor.sessions import signed_in_session

        from escape_events.events.models import Event
        from escape_events.registrations.models import RegistrationSettings

        call_command("migrate", verbosity=0)
        now = timezone.now()
        for number, (count, seats) in enumerate(scenarios):
            start = now + timedelta(days=10 + 7 * number)  # apart: no overlapping registrations
            event = Event.objects.create(
                title=f"Race benchmark {count} for {seats}", slug=slug_for(count, seats),
                start=start, end=start + timedelta(hours=3),
            )  # fmt: skip
            RegistrationSettings.objects.create(
                event=event, opens_at=now - timedelta(days=1), onsite_capacity=seats
            )
        User = get_user_model()
        users = User.objects.bulk_create(
            # Named: a person without a name is asked for it by the form (a failed POST here).
            User(
                username=f"racer{i}",
                email=f"racer{i}@example.org",
                password="!",  # noqa: S106 - unusable password
                first_name="Racer",
                last_name=str(i),
            )
            for i in range(clients)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
        )
        store = import_module(settings.SESSION_ENGINE).SessionStore
        self.keys = [signed_in_session(store, user) for user in users]

    def reset(self) -> None:
        from escape_events.outbox.models import OutgoingMail
        from escape_events.registrations.models import Registration

        Registration.objects.filter(event__slug__startswith="race-").delete()
        OutgoingMail.objects.all().delete()  # the stored confirmation mails of the last race

    def count(self, slug: str) -> dict[str, int]:
        from django.db import connections
        from django.db.models import Count

        from escape_events.registrations.models import Registration

        rows = Registration.objects.filter(event__slug=slug, mode="onsite")
        counts = {row["status"]: row["n"] for row in rows.values("status").annotate(n=Count("pk"))}
        connections.close_all()
        return counts


class Floor(Server):
    url: str = ""

    def prepare(self, scenarios, clients: int, env: dict) -> None:
        events = [f"--event={slug_for(count, seats)}:{seats}" for count, seats in scenarios]
        output = subprocess.run(
            [sys.executable, "-m", "django", "floor_prepare", f"--clients={clients}", *events],
            cwd=BENCHMARKS, env={**os.environ, **env}, check=True, capture_output=True, text=True,
        )  # fmt: skip
        self.keys = json.loads(output.stdout)

    def _sql(self, query: str, params=()):
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1)) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def reset(self) -> None:
        self._sql("DELETE FROM floor_registration")

    def count(self, slug: str) -> dict[str, int]:
        rows = self._sql(
            "SELECT r.status, count(*) FROM floor_registration r JOIN floor_event e"
            " ON e.id = r.event_id WHERE e.slug = %s GROUP BY r.status",
            [slug],
        )
        return dict(rows)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Race:
    gets: list[float]
    posts: list[float]
    bad_gets: int
    bad_posts: int


def race(port: int, slug: str, keys: list[str]) -> Race:
    """Everyone loads the event page at once, then everyone registers at once."""
    opener = urllib.request.build_opener(NoRedirect)
    together = threading.Barrier(len(keys))
    gets, posts = [0.0] * len(keys), [0.0] * len(keys)
    get_status, post_status = [0] * len(keys), [0] * len(keys)
    page = f"http://127.0.0.1:{port}/events/{slug}/"
    form = re.compile(rb'name="csrfmiddlewaretoken"')
    hidden = re.compile(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"')
    required_box = re.compile(rb'<input type="checkbox" name="([^"]+)" required')

    def send(request) -> tuple[int, float, bytes]:
        started = time.perf_counter()
        try:
            with opener.open(request, timeout=60) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, b""
        except OSError:  # timed out or reset: counted as a failed response
            status, body = -1, b""
        return status, time.perf_counter() - started, body

    def client(index: int, key: str) -> None:
        token = secrets.token_hex(16)  # an unmasked 32-character CSRF secret, as Django accepts
        cookie = {"Cookie": f"sessionid={key}; csrftoken={token}"}
        together.wait()
        status, gets[index], body = send(urllib.request.Request(page, headers=cookie))
        get_status[index] = status if form.search(body) else -2  # the page must offer the form
        # What a browser sends: the form's hidden fields, the boxes it must tick, on-site.
        fields = {name.decode(): value.decode() for name, value in hidden.findall(body)}
        fields.update({name.decode(): "on" for name in required_box.findall(body)})
        fields.update({"attend": "onsite", "csrfmiddlewaretoken": token})
        together.wait()
        data = urlencode(fields).encode()
        request = urllib.request.Request(f"{page}register/", data=data, headers=cookie)  # noqa: S310
        post_status[index], posts[index], _ = send(request)

    threads = [threading.Thread(target=client, args=item) for item in enumerate(keys)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Race(
        gets=gets,
        posts=posts,
        bad_gets=sum(status != 200 for status in get_status),
        bad_posts=sum(status != 302 for status in post_status),
    )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def spread(values: list[float], unit=ms) -> str:
    middle = statistics.median(values)
    if len(values) == 1:
        return unit(middle)
    return f"{unit(middle)} ({unit(min(values))}–{unit(max(values))})"


def ratio(value: float) -> str:
    return f"{value:.2f}"


def main() -> None:
    args = parse_args()
    port = args.port or free_port()
    product_url = f"{args.server}/{args.database}"
    floor_db = f"{args.database}_floor"
    floor_url = f"{args.server}/{floor_db}"
    clients = max(count for count, _seats in args.scenario)
    connection_env = {"DB_CONN_MAX_AGE": str(args.conn_max_age)}
    product_env = {
        "DATABASE_URL": product_url,
        "MAIL_OUTBOX": "1",  # each registration stores its confirmation, as in production
        "DJANGO_DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": args.database,
        **connection_env,
    }
    os.environ.update(product_env)
    floor_env = {
        "FLOOR_DATABASE_URL": floor_url,
        "DJANGO_SETTINGS_MODULE": "floor.settings",
        "PYTHONPATH": str(BENCHMARKS),
        **connection_env,
    }
    product, floor = Product("ours", port), Floor("floor", port + 1)
    floor.url = floor_url
    recreate_database(args.server, args.database)
    recreate_database(args.server, floor_db)
    load_before = os.getloadavg()
    results: dict[tuple, dict[str, list]] = {}
    try:
        product.prepare(args.scenario, clients)
        floor.prepare(args.scenario, clients, floor_env)
        product.start("escape_events.wsgi", product_env, args.workers, ROOT)
        floor.start("floor.wsgi", floor_env, args.workers, BENCHMARKS)
        product.wait_ready("/accounts/login/")
        floor.wait_ready("/events/none/")
        print(f"gunicorn, {args.workers} sync workers per server; PostgreSQL {args.server}; "
              f"DB_CONN_MAX_AGE={args.conn_max_age}; "
              f"product REDIS_URL: {args.redis or '(none)'}")  # fmt: skip
        print(f"load average at start: {' '.join(f'{value:.2f}' for value in load_before)}")
        for server in (product, floor):  # warm up: first requests load code and open connections
            for count, seats in args.scenario:
                server.reset()
                race(server.port, slug_for(count, seats), server.keys[: min(count, 16)])
        for number in range(args.rounds):
            for count, seats in args.scenario:
                slug = slug_for(count, seats)
                order = (product, floor) if number % 2 == 0 else (floor, product)
                line = [f"round {number + 1}  {count:>3}/{seats:<3}"]
                for server in order:
                    server.reset()
                    outcome = race(server.port, slug, server.keys[:count])
                    counts = server.count(slug)
                    exact = counts.get("confirmed", 0) == seats and counts.get("waiting", 0) == (
                        count - seats
                    )
                    result = results.setdefault((count, seats, server.name), {})
                    for key, value in (
                        ("post", statistics.median(outcome.posts)),
                        ("get", statistics.median(outcome.gets)),
                        ("overbooked", max(counts.get("confirmed", 0) - seats, 0)),
                        ("inexact", not exact),
                        ("bad", outcome.bad_gets + outcome.bad_posts),
                    ):
                        result.setdefault(key, []).append(value)
                    post, get, bad = result["post"][-1], result["get"][-1], result["bad"][-1]
                    line.append(
                        f"{server.name}: POST {ms(post)}, GET {ms(get)}, "
                        f"{counts.get('confirmed', 0)} confirmed/{counts.get('waiting', 0)} waiting"
                        + (f", {bad} failed" if bad else "")
                    )
                print("  ".join(line), flush=True)
    finally:
        product.stop()
        floor.stop()
        from django.db import connections

        connections.close_all()
        if args.redis:
            import redis

            store = redis.Redis.from_url(args.redis)
            for key in store.scan_iter(f"{args.database}:*"):
                store.delete(key)
        recreate_database(args.server, args.database, drop_only=True)
        recreate_database(args.server, floor_db, drop_only=True)
    load_after = os.getloadavg()
    print(f"load average at end:   {' '.join(f'{value:.2f}' for value in load_after)}")
    print()
    print(f"Medians over {args.rounds} rounds (min–max of the per-round medians):")
    print()
    print("| clients / seats | request | ours | floor | ours ÷ floor | overbooked |")
    print("| --- | --- | --- | --- | --- | --- |")
    failed = False
    for count, seats in args.scenario:
        ours = results[(count, seats, "ours")]
        base = results[(count, seats, "floor")]
        overbooked = sum(ours["overbooked"]) + sum(base["overbooked"])
        failed |= bool(
            overbooked or any(ours["inexact"] + base["inexact"] + ours["bad"] + base["bad"])
        )
        for key, label in (("post", "POST register"), ("get", f"GET event page, {count} at once")):
            ratios = [a / b for a, b in zip(ours[key], base[key], strict=True)]
            print(
                f"| {count} / {seats} | {label} | {spread(ours[key])} | {spread(base[key])} "
                f"| {spread(ratios, ratio)} | {sum(ours['overbooked'])} |"
            )
    if failed:
        print("\nFAILED: overbooked, inexact counts or failed requests (see the rounds above)")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
