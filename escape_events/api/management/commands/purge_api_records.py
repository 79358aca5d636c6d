"""Scheduled: forget stored answers to retries after a day and API write logs after their time."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from escape_events.api.models import ApiWriteLog, IdempotentRequest
from escape_events.api.writes import KEY_LIFETIME


class Command(BaseCommand):
    help = (
        "Delete stored Idempotency-Key answers older than a day and API write logs older than "
        "API_WRITE_LOG_DAYS. Safe to run twice at once: each is one DELETE by age."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        keys, _ = IdempotentRequest.objects.filter(created_at__lt=now - KEY_LIFETIME).delete()
        logs, _ = ApiWriteLog.objects.filter(
            created_at__lt=now - timedelta(days=settings.API_WRITE_LOG_DAYS)
        ).delete()
        self.stdout.write(f"Deleted {keys} stored retry answers and {logs} API write log entries.")
