"""Procfile.dev (`make run`) names management commands that exist, and development runs what
production runs beside the site (the outbox worker, from escape_events.core.production), plus the
reminders production schedules."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

from escape_events.core.production import Stack

ROOT = Path(settings.BASE_DIR)


def processes(name: str) -> dict[str, str]:
    lines = (ROOT / name).read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if line.strip() and not line.startswith("#"))


def commands_run(command_line: str) -> list[str]:
    """The management commands a Procfile line runs (`manage.py <command>`)."""
    return re.findall(r"manage\.py (\w+)", command_line)


def production_commands() -> list[str]:
    stack = Stack(port=8080, app_servers=2, web_workers=2, state_dir=ROOT / "var" / "prod")
    return [cmd for process in stack.processes() for cmd in commands_run(" ".join(process.command))]


def test_every_management_command_development_and_production_run_exists():
    known = get_commands()
    development = [cmd for line in processes("Procfile.dev").values() for cmd in commands_run(line)]
    assert [cmd for cmd in [*development, *production_commands()] if cmd not in known] == []


def test_development_runs_the_outbox_worker_and_the_reminders_beside_the_site():
    development = [cmd for line in processes("Procfile.dev").values() for cmd in commands_run(line)]
    assert sorted(development) == [
        "deliver_mail",
        "make_printouts",
        "runserver",
        "send_organiser_digests",
        "send_reminders",
    ]
    assert production_commands() == ["deliver_mail", "make_printouts"]  # production's own workers


def test_make_run_gives_every_process_the_address_it_serves():
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert 'SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" MAIL_OUTBOX=1' in recipe
    assert "honcho start -f Procfile.dev -p $(PORT)" in recipe  # `web` gets that same port
