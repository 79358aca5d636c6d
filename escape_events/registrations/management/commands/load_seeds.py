from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from escape_events.events.demo import ensure_demo_organiser
from escape_events.events.seeding import load_seeds
from escape_events.registrations.demo import ensure_demo_people
from escape_events.registrations.seeding import load_registration_seeds
from escape_events.timetable.seeding import load_agenda_seeds


class Command(BaseCommand):
    help = (
        "Load the ESCAPE seed events, their registration settings and agendas (idempotent); "
        "optionally a demo organiser account."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-organiser",
            action="store_true",
            help="Also create a demo organiser who runs the demo events (development only).",
        )

    def handle(self, *args, demo_organiser=False, **options):
        counts = load_seeds()
        self.stdout.write(
            "Seed data loaded: {venues} venues, {series} series, {events} events.".format(**counts)
        )
        registrable = load_registration_seeds()
        self.stdout.write(f"Registration open for {registrable} seeded events.")
        agendas = load_agenda_seeds()
        self.stdout.write(f"Agendas created for {agendas} seeded events (kept if present).")
        if demo_organiser:
            if settings.PRODUCTION:
                raise CommandError("The demo organiser is for development only.")
            email, password = ensure_demo_organiser()
            demo = ensure_demo_people(get_user_model().objects.get(email=email))
            self.stdout.write(
                "Demo participants (invented): {registered} on the SWAN hands-on demo, "
                "{checked_in} checked in; the WP2 series has {followers} followers.".format(**demo)
            )
            self.stdout.write(
                self.style.SUCCESS(f"Demo organiser: log in as {email} with password {password}")
            )
