"""Shared by api.py, export.py and purge.py: their command line, Django on a scratch PostgreSQL
database, and one event with a crowd of registrations and two answered questions, made once
and kept for the next run."""

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from scratch_db import ensure_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BATCH = 5_000


def arguments(doc: str, *, database: str, rows: int, repeat: str, times: int, environ: str):
    """--rows, --runs or --rounds (`repeat`), and --url (default: `database` on the local
    server, or the URL in the environment variable `environ`)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--rows", type=int, default=rows)
    parser.add_argument(f"--{repeat}", type=int, default=times)
    default = os.environ.get(environ, f"postgres://postgres@127.0.0.1:5432/{database}")
    parser.add_argument("--url", default=default)
    return parser.parse_args()


def start_django(url: str) -> None:
    """Django on the scratch database at `url`, created if missing and migrated."""
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escape_events.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def fill_event(
    *,
    slug: str,
    title: str,
    rows: int,
    start,
    length,
    username: str,
    person: Callable[[int], dict],
    registration: Callable[[int], dict],
    answers: Callable[[int], tuple[str, str]],
    also: Callable | None = None,
):
    """The event `slug` with `rows` registrations of people named `username`+number, each
    answering "Experiment" and "Bringing a laptop?" (`answers`); kept when it has them already.
    `also(event, registrations)` adds what one benchmark needs more, once per batch (and once
    with no registrations first)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from escape_events.events.models import Event
    from escape_events.registrations.models import Answer, Question, Registration

    event = Event.objects.filter(slug=slug).first()
    if event and event.registrations.filter(user__isnull=False).count() == rows:
        return event
    print(f"filling {rows:,} registrations (once)…", flush=True)
    User = get_user_model()
    with transaction.atomic():
        Event.objects.filter(slug=slug).delete()
        User.objects.filter(username__startswith=username).delete()
        event = Event.objects.create(title=title, slug=slug, start=start, end=start + length)
        questions = [
            Question.objects.create(event=event, label="Experiment", position=1),
            Question.objects.create(event=event, label="Bringing a laptop?", position=2),
        ]
        if also:
            also(event, [])
        for first in range(0, rows, BATCH):
            numbers = range(first, min(first + BATCH, rows))
            users = User.objects.bulk_create(
                User(username=f"{username}{number}", **person(number)) for number in numbers
            )
            registrations = Registration.objects.bulk_create(
                Registration(event=event, user=user, **registration(number))
                for number, user in zip(numbers, users, strict=True)
            )
            Answer.objects.bulk_create(
                Answer(registration=registration, question=question, value=value)
                for number, registration in zip(numbers, registrations, strict=True)
                for question, value in zip(questions, answers(number), strict=True)
            )
            if also:
                also(event, registrations)
    with connection.cursor() as cursor:  # fresh statistics, or the planner guesses badly
        cursor.execute("ANALYZE")
    return event
