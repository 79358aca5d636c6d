"""Scheduled job: delete sent mails older than OUTBOX_KEEP_DAYS (idempotent; safe twice at once)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from escape_events.outbox.services import prune_delivered


class Command(BaseCommand):
    help = "Delete the outbox rows of mails sent more than OUTBOX_KEEP_DAYS days ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.OUTBOX_KEEP_DAYS)

    def handle(self, *, days, **options):
        deleted = prune_delivered(older_than=timedelta(days=days))
        self.stdout.write(f"Deleted {deleted} sent mail(s) older than {days} days.")
