"""Publish the privacy notice file (PRIVACY_NOTICE_FILE, or --file) as a new version.

For sites that keep the notice's text with their deployment rather than in the admin. The same
text again publishes nothing, so running it at every deployment is safe.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from escape_events.accounts.services import default_privacy_notice_text, publish_privacy_notice


class Command(BaseCommand):
    help = "Publish the privacy notice file as a new version (nothing if the text is unchanged)."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="Another file than PRIVACY_NOTICE_FILE.")
        parser.add_argument("--changes", default="", help="One line: what changed.")

    def handle(self, *args, file=None, changes="", **options):
        try:
            text = default_privacy_notice_text(file)
            notice = publish_privacy_notice(text=text, changes=changes)
        except (OSError, ValidationError) as error:
            raise CommandError(f"Not published: {error}") from error
        self.stdout.write(f"Privacy notice in force: version {notice.version}.")
