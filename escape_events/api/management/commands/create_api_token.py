"""Make an API token for a person from the command line (scripts, the README's curl examples)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from escape_events.api.models import ApiToken
from escape_events.api.services import issue_api_token
from escape_events.organisers.permissions import organised_events


class Command(BaseCommand):
    help = "Make an API token for a user and print it (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's e-mail address.")
        parser.add_argument("--name", default="command line", help="What the token is for.")
        parser.add_argument(
            "--registrations", action="store_true", help="Scope: the person's own registrations."
        )
        parser.add_argument(
            "--organiser",
            choices=["read", "write"],
            default="",
            help="Scope: the events the person organises, read-only or read-write.",
        )
        parser.add_argument("--event", default="", help="Limit to the event with this slug.")
        parser.add_argument("--days", type=int, default=30, help="Lifetime (1 to 366 days).")

    def handle(self, *args, email, name, registrations, organiser, event, days, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account has the address {email}.")
        if not registrations and not organiser:
            raise CommandError("Give a scope: --registrations and/or --organiser read|write.")
        limited_to = None
        if event:
            limited_to = organised_events(user).filter(slug=event).first()
            if limited_to is None or not organiser:
                raise CommandError(f"{email} does not organise an event '{event}'.")
        if not 1 <= days <= 366:
            raise CommandError("--days must be between 1 and 366.")
        token, secret = issue_api_token(
            user=user,
            name=name,
            registrations=registrations,
            organiser=organiser or ApiToken.OrganiserAccess.NONE,
            event=limited_to,
            lifetime=timedelta(days=days),
        )
        self.stderr.write(f"Token '{token.name}' for {user.email}: {', '.join(token.scopes)}.")
        self.stdout.write(secret)
