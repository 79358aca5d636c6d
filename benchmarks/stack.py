"""A private production stack for benchmarks/load.py and benchmarks/faults.py.

Everything is its own, so it runs anywhere and may be broken on purpose: a PostgreSQL cluster made
with initdb in a temporary folder, a Redis server, gunicorn app servers, HAProxy (configured by
`manage.py haproxy_config`), the mail worker, and an SMTP server (aiosmtpd, in
this process) that records every mail it takes. Ports: --base-port (HAProxy), +1.. (app servers),
+50 (PostgreSQL), +51 (Redis), +52 (SMTP), +90 (HAProxy statistics). All stopped at the end.

`supervised=True` runs HAProxy, the app servers and the mail worker as `make prod` does: under
supervisord, configured by the same `manage.py prod_config supervisord` (benchmarks/faults.py).
"""

import asyncio
import contextlib
import csv
import glob
import http.client
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from email import message_from_bytes
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "load-test-password-1"
ORGANISER = "organiser@load.example.org"
RUSH_SLUG = "rush-hands-on"
EXPORT_SLUG = "collaboration-meeting"


def postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not found or not found[-1]:
        raise SystemExit(f"PostgreSQL's {name} not found (apt-get install postgresql)")
    return found[-1]


class Postgres:
    """A throw-away PostgreSQL cluster (initdb), run as the `postgres` user when we are root."""

    def __init__(self, port: int, folder: Path):
        self.port = port
        self.folder = folder / "pgdata"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgres://postgres@127.0.0.1:{port}/escape_events"

    def _run(self, *command):
        subprocess.run([*self.as_postgres, *command], check=True, capture_output=True)

    def create(self):
        self.folder.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.folder.parent, "postgres")
            shutil.chown(self.folder, "postgres")
        self._run(postgres_bin("initdb"), "-D", str(self.folder), "-U", "postgres",
                  "--auth=trust", "-E", "UTF8")  # fmt: skip
        self.start()
        subprocess.run(
            [*self.as_postgres, postgres_bin("createdb"), "-h", "127.0.0.1", "-p",
             str(self.port), "-U", "postgres", "escape_events"],
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self):
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c max_connections=300 -c shared_buffers=128MB"
        )
        self._run(postgres_bin("pg_ctl"), "-D", str(self.folder), "-o", options,
                  "-l", str(self.folder / "server.log"), "-w", "start")  # fmt: skip

    def stop(self, mode="fast"):
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(postgres_bin("pg_ctl"), "-D", str(self.folder), "-m", mode, "-w", "stop")


class MailCounter:
    """The SMTP server the mail worker delivers to: counts mails per Message-ID."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.received: list[tuple[str, str, str]] = []  # (message id, to, subject)
        self.delay = 0.0  # seconds before accepting a recipient: a slow mail server
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await asyncio.sleep(self.delay)  # before the message is sent: killing here loses nothing
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        self.received.append((message["Message-ID"], message["To"], message["Subject"]))
        return "250 OK"

    def duplicates(self) -> int:
        return sum(count - 1 for count in Counter(self.received).values() if count > 1)


class Stack:
    def __init__(
        self, *, base_port: int, app_servers: int, web_workers: int, keep=False, supervised=False
    ):
        self.supervised = supervised
        self.base = base_port
        self.app_servers = app_servers
        self.web_workers = web_workers
        self.folder = Path(tempfile.mkdtemp(prefix="prod_stack_"))
        self.keep = keep
        self.postgres = Postgres(base_port + 50, self.folder)
        self.redis_port = base_port + 51
        self.mail = MailCounter(base_port + 52)
        self.stats_port = base_port + 90
        self.site = f"http://127.0.0.1:{base_port}"
        self.processes: dict[str, subprocess.Popen] = {}

    # -- environment -------------------------------------------------------------------------
    def env(self) -> dict:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("EMAIL_", "AWS_", "OIDC_", "DJANGO_"))
        }
        environment.update(
            ESCAPE_PRODUCTION="1",
            SECRET_KEY="load-benchmark-" + "k" * 50,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=self.site,
            DATABASE_URL=self.postgres.url,
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.mail.controller.port),
            EMAIL_USE_TLS="0",
            EMAIL_TIMEOUT="10",
            MEDIA_ROOT=str(self.folder / "media"),
            # Each simulated user sends its own address in X-Forwarded-For, as a TLS proxy in
            # front of HAProxy would: two trusted proxies, so rate limits count per user.
            TRUSTED_PROXY_COUNT="2",
            LOG_LEVEL="WARNING",
            OUTBOX_LEASE_SECONDS="20",
            OUTBOX_RETRY_BASE_SECONDS="2",
        )
        if self.supervised:  # what scripts/prod pins
            environment.update(OUTBOX_LEASE_SECONDS="30", EMAIL_TIMEOUT="20", DB_CONN_MAX_AGE="60")
        return environment

    def use_in_this_process(self):
        """The benchmark script itself talks to the stack's database through Django."""
        os.environ.update(self.env())
        os.environ["DJANGO_SETTINGS_MODULE"] = "escape_events.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill -9 takes its children too
        )  # fmt: skip
        self.processes[name] = process
        return process

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env(), capture_output=True, text=True
        )
        if result.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    # -- the parts ---------------------------------------------------------------------------
    def start(self):
        print(f"Starting a private stack in {self.folder} (ports {self.base}-{self.base + 90})")
        self.postgres.create()
        self._start("redis", ["redis-server", "--port", str(self.redis_port), "--bind",
                              "127.0.0.1", "--save", "", "--appendonly", "no"])  # fmt: skip
        self.mail.controller.start()
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        if not self.supervised:
            for number in range(1, self.app_servers + 1):
                self.start_app(number)
        config = self.folder / "haproxy.cfg"
        config.write_text(
            self.manage(
                "haproxy_config", "--bind", f"127.0.0.1:{self.base}", "--servers",
                ",".join(str(self.base + n) for n in range(1, self.app_servers + 1)),
                "--host", "127.0.0.1", "--stats-port", str(self.stats_port),
                "--error-dir", str(self.folder),
            )
        )  # fmt: skip
        if self.supervised:
            (self.folder / "supervisord.conf").write_text(
                self.manage(
                    "prod_config", "supervisord", "--port", str(self.base), "--app-servers",
                    str(self.app_servers), "--web-workers", str(self.web_workers),
                    "--state-dir", str(self.folder),
                )
            )  # fmt: skip
            self.start_supervisor()
        else:
            self._start("haproxy", ["haproxy", "-db", "-f", str(config)])
            self.start_mailer()
        self.wait_until(lambda: self.servers_up() == self.app_servers, "app servers up", 240)

    def start_supervisor(self):
        supervisord = str(Path(PYTHON).parent / "supervisord")
        self._start("supervisord", [supervisord, "-n", "-c", str(self.folder / "supervisord.conf")])
        self.wait_until(lambda: "RUNNING" in self.ctl("status", "mailer"), "supervisord", 60)

    def ctl(self, *args: str) -> str:
        """supervisorctl, as `make prod-status` runs it."""
        supervisorctl = str(Path(PYTHON).parent / "supervisorctl")
        command = [supervisorctl, "-c", str(self.folder / "supervisord.conf"), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout

    def pid(self, name: str) -> int:
        """The pid of a supervised process (0 when it is not running)."""
        answer = self.ctl("pid", name).strip()
        return int(answer) if answer.isdigit() else 0

    def start_app(self, number: int):
        self._start(f"web{number}", [
            PYTHON, "-m", "gunicorn", "escape_events.wsgi", "--bind",
            f"127.0.0.1:{self.base + number}", "--workers", str(self.web_workers),
            "--timeout", "30", "--no-control-socket",
        ])  # fmt: skip

    def start_mailer(self):
        self._start("mailer", [PYTHON, "manage.py", "deliver_mail", "--interval", "0.5"])

    def kill(self, name: str):
        """kill -9 the process and everything it started (gunicorn's workers)."""
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self):
        if "django.apps" in sys.modules and sys.modules["django.apps"].apps.ready:
            from django.db import connections

            connections.close_all()
        for name in list(self.processes):
            process = self.processes.pop(name)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        with contextlib.suppress(Exception):
            self.mail.controller.stop()
        self.postgres.stop("immediate")
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- observing ---------------------------------------------------------------------------
    def server_states(self) -> dict[str, str]:
        """HAProxy's view of each app server (UP, DOWN, ...), from its statistics CSV."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.stats_port}/;csv", timeout=2) as r:
                rows = csv.DictReader(io.StringIO(r.read().decode().lstrip("# ")))
                return {row["svname"]: row["status"] for row in rows if row["pxname"] == "app"
                        and row["svname"] not in {"FRONTEND", "BACKEND"}}  # fmt: skip
        except OSError:
            return {}

    def servers_up(self) -> int:
        return sum(state.startswith("UP") for state in self.server_states().values())

    @staticmethod
    def wait_until(condition, what: str, seconds: float) -> float:
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            if condition():
                return time.monotonic() - start
            time.sleep(0.2)
        raise SystemExit(f"gave up waiting for {what} after {seconds:.0f} s")

    def get(self, path: str, timeout=10) -> tuple[int, bytes]:
        try:
            # http://127.0.0.1:<port> of our own stack
            with urllib.request.urlopen(self.site + path, timeout=timeout) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (OSError, http.client.HTTPException):
            return 0, b""


def fill(*, registrants: int, seats: int, export_rows: int, events: int = 150) -> list[str]:
    """Data for a realistic mix: the ESCAPE seeds, `events` more events, people with passwords,
    a capacity-limited hands-on opening now, and a meeting with `export_rows` registrations.

    Returns a signed-in session for each registrant: in a rush people are signed in before
    registration opens (signing in costs ~1 s of CPU for the password hash, measured apart)."""
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Permission
    from django.core.management import call_command
    from django.utils import timezone

    from escape_events.events.models import Event, Kind
    from escape_events.registrations.models import Registration, RegistrationSettings

    User = get_user_model()
    call_command("load_seeds", verbosity=0)
    now = timezone.now()
    kinds = [choice for choice, _ in Kind.choices]
    Event.objects.bulk_create(
        Event(
            title=f"ESCAPE event {number}", slug=f"escape-event-{number}",
            kind=kinds[number % len(kinds)], description="Agenda and practical details. " * 20,
            start=now + timedelta(days=number - events // 3, hours=number % 8),
            end=now + timedelta(days=number - events // 3, hours=number % 8 + 2),
            time_zone="Europe/Zurich",
        )
        for number in range(events)
    )  # fmt: skip
    rush = Event.objects.create(
        title="Rush hands-on (limited seats)", slug=RUSH_SLUG, start=now + timedelta(days=20),
        end=now + timedelta(days=20, hours=3), time_zone="Europe/Zurich",
    )  # fmt: skip
    RegistrationSettings.objects.create(
        event=rush, opens_at=now - timedelta(minutes=1), onsite_capacity=seats,
        allow_remote=False,
    )  # fmt: skip
    meeting = Event.objects.create(
        title="Collaboration meeting", slug=EXPORT_SLUG, start=now + timedelta(days=40),
        end=now + timedelta(days=42), time_zone="Europe/Zurich",
    )  # fmt: skip
    RegistrationSettings.objects.create(event=meeting, opens_at=now - timedelta(days=5))
    password = make_password(PASSWORD)
    people = User.objects.bulk_create(
        User(username=f"person{n}", email=f"person{n}@load.example.org", password=password,
             first_name=f"Person{n}", last_name="Load")
        for n in range(max(registrants, export_rows))
    )  # fmt: skip
    organiser = User.objects.create(
        username="organiser", email=ORGANISER, password=password, first_name="Olga"
    )
    organiser.user_permissions.add(Permission.objects.get(codename="add_event"))
    rush.organisers.add(organiser)
    meeting.organisers.add(organiser)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in [*people, organiser]
    )
    Registration.objects.bulk_create(
        Registration(event=meeting, user=user, mode=Registration.Mode.ONSITE,
                     status=Registration.Status.CONFIRMED)
        for user in people[:export_rows]
    )  # fmt: skip
    return [signed_in_session(user) for user in people[:registrants]]


def signed_in_session(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
