"""Create the floor's tables, its events and signed-in people; print their session keys as JSON."""

import json

from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import BaseCommand

from floor.models import Event
from floor.sessions import signed_in_session


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True)
        parser.add_argument("--event", action="append", default=[], help="slug:seats")

    def handle(self, *args, clients, event, **options):
        call_command("migrate", verbosity=0)
        for item in event:
            slug, seats = item.split(":")
            Event.objects.create(slug=slug, title=f"Floor {slug}", seats=int(seats))
        users = User.objects.bulk_create(
            User(username=f"racer{i}", email=f"racer{i}@example.org", password="!")  # noqa: S106 - unusable
            for i in range(clients)
        )
        keys = [signed_in_session(SessionStore, user) for user in users]
        self.stdout.write(json.dumps(keys))
