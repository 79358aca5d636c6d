"""Scheduled job: mail the reminders that are due; run every 5 minutes (README: Scheduled jobs)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from escape_events.registrations.reminders import due_reminders, send_due_reminders


def moment(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now: not an ISO 8601 date and time: {value!r}") from None
    if parsed.tzinfo is None:
        raise CommandError("--now needs a UTC offset, e.g. 2030-03-12T13:00+01:00")
    return parsed


class Command(BaseCommand):
    help = (
        "Send the reminders due now (one day and one hour before by default) to confirmed "
        "attendees and series followers. Each is sent once, even when this runs twice at once "
        "or on two machines."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List who is due a reminder; send nothing."
        )
        parser.add_argument(
            "--now", type=moment, help="Act as if it were this time (ISO 8601 with offset)."
        )

    def handle(self, *args, dry_run=False, now=None, **options):
        now = now or timezone.now()
        if dry_run:
            for reminder in due_reminders(now):
                self.stdout.write(
                    f"{reminder.when_label}: {reminder.item.title} "
                    f"({reminder.item.start:%Y-%m-%d %H:%M %Z}) -> {reminder.user.email}"
                )
            return
        outcome = send_due_reminders(now=now)
        self.stdout.write(
            f"Reminders sent: {outcome.sent}; already sent before: {outcome.already}; "
            f"failed (retried next run): {outcome.failed}."
        )
        if outcome.failed:
            raise CommandError(f"{outcome.failed} reminder(s) could not be sent.")
