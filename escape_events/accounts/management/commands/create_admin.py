"""`manage.py create_admin`: a site admin who signs in with e-mail and password (`make admin`)."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from escape_events.accounts.services import make_site_admin


class Command(BaseCommand):
    help = (
        "Create a site admin (staff and superuser) with a confirmed e-mail address, or give an "
        "existing account admin rights. Asks for the password; ADMIN_PASSWORD sets it without "
        "asking."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", help="The admin's e-mail address (asked if missing).")

    def handle(self, *args, email=None, **options):
        email = email or input("E-mail address of the admin: ")
        password = os.environ.get("ADMIN_PASSWORD") or self._ask_password() or None
        try:
            user = make_site_admin(email=email, password=password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{user.email} is a site admin: sign in on the site, then open /admin/."
            )
        )

    def _ask_password(self) -> str:
        first = getpass.getpass("Password (empty: an existing account keeps its own): ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was changed.")
        return first
