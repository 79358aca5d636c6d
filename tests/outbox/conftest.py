"""Real SMTP servers on this machine (aiosmtpd): one that takes mails, one that stalls after the
message was sent (never answers), one that refuses; and the outbox switched on as in production."""

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """aiosmtpd handler: keeps what it accepted; `stall` never answers the end of the data
    (or only after `stall` seconds, if a number)."""

    def __init__(self, *, stall: bool | float = False, refuse=False):
        self.stall = stall
        self.refuse = refuse
        self.messages = []
        self.data_received = asyncio.Event()
        self.stalled = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall:
            self.stalled += 1
            # Took the whole message; says it has it late, or never.
            await asyncio.sleep(3600 if self.stall is True else self.stall)
        self.messages.append(envelope.content)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """Start servers as a test needs them; all are stopped at the end."""
    started = []

    def start(**behaviour):
        handler = Recorder(**behaviour)
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        return controller

    yield start
    for controller in started:
        controller.stop(no_assert=True)


@pytest.fixture
def outbox_to(settings):
    """MAILERS as in production: mails go to the outbox, and its delivery mailer is SMTP."""

    def configure(port: int, *, timeout: float = 2):
        settings.MAILERS = {
            "default": {"BACKEND": "escape_events.outbox.backend.OutboxBackend"},
            "delivery": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {
                    "host": "127.0.0.1",
                    "port": port,
                    "use_tls": False,
                    "timeout": timeout,
                },
            },
        }

    return configure


def database_url() -> str:
    """The test database, for worker processes started by a test."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{quote(db['USER'])}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def start_process(tmp_path):
    """`manage.py <command>` as its own process against the test database, as production runs
    it (killed with SIGKILL at the end if still alive)."""
    processes = []

    def start(*command, smtp_port: int, **env):
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"ESCAPE_PRODUCTION", "DJANGO_SETTINGS_MODULE"}
        }
        environment.update(
            DATABASE_URL=database_url(),
            MAIL_OUTBOX="1",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            EMAIL_USE_TLS="0",
            LOG_LEVEL="INFO",
            **env,
        )
        log = open(tmp_path / f"{command[0]}-{len(processes)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append((process, log))
        return process

    yield start
    for process, log in processes:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        log.close()
