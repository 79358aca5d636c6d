"""Scheduled job: remove the personal data of registrations whose retention period is over.

Run it daily (README, "Scheduled jobs"). Idempotent: a second run, or one on another machine at
the same moment, finds nothing more to do.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from escape_events.registrations.services import purge_due_registrations
from escape_events.registrations.services.privacy import events_due_for_purge


class Command(BaseCommand):
    help = "Remove answers and the link to the person from registrations past their retention."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the events due, change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        if dry_run:
            due = events_due_for_purge(now)
            for event in due:
                self.stdout.write(f"due: {event.title} (ended {event.end:%Y-%m-%d})")
            self.stdout.write(f"{len(due)} event(s) due; nothing changed (dry run).")
            return
        purges = purge_due_registrations(now=now)
        for purge in purges:
            self.stdout.write(
                f"purged: {purge.event.title}: {purge.registrations} registrations, "
                f"{purge.answers} answers"
            )
        self.stdout.write(f"{len(purges)} event(s) purged.")
