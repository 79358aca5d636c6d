"""Scheduled job: mail organisers the daily digest of what happened at their events; run once a
day (docs/operators/jobs.md)."""

from django.core.management.base import BaseCommand

from escape_events.organisers.notifications import prune_notices, send_digests


class Command(BaseCommand):
    help = (
        "Send each organiser who chose a daily digest one mail with what happened since the "
        "last one. Each happening is sent once, even when this runs twice at once. Notices told "
        "more than OUTBOX_KEEP_DAYS ago are forgotten."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        pruned = prune_notices()
        self.stdout.write(f"Organiser digests sent: {sent}; old notices forgotten: {pruned}.")
