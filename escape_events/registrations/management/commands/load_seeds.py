from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from escape_events.events.demo import ensure_demo_organiser
from escape_events.events.seeding import load_seeds
from escape_events.registrations.demo import discard_demo_edition, ensure_demo_people
from escape_events.registrations.seeding import load_question_library, load_registration_seeds
from escape_events.timetable.seeding import load_agenda_seeds


class Command(BaseCommand):
    help = (
        "Load the ESCAPE seed events, their registration settings and agendas: creates what is "
        "missing and leaves what exists as it is; optionally a demo organiser account."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-organiser",
            action="store_true",
            help="Also create a demo organiser who runs the demo events (development only).",
        )
        parser.add_argument(
            "--reset-demo",
            action="store_true",
            help=(
                "First delete the demo events and series with their registrations, questions "
                "and agendas, so that they are made afresh (development only)."
            ),
        )

    def handle(self, *args, demo_organiser=False, reset_demo=False, **options):
        if (demo_organiser or reset_demo) and settings.PRODUCTION:
            raise CommandError("The demo organiser and --reset-demo are for development only.")
        if reset_demo:
            for line in discard_demo_edition():
                self.stdout.write(self.style.WARNING(f"Discarded {line}."))
        loaded = load_seeds()
        made = len(loaded.new_events) + len(loaded.new_series)
        self.stdout.write(
            f"Seed data: {loaded.venues} venues, {loaded.series} series, {loaded.events} events "
            f"({made} created now; what existed is kept as it is)."
        )
        registrable = load_registration_seeds()
        self.stdout.write(f"Registration settings given to {registrable} new seeded events.")
        agendas = load_agenda_seeds()
        self.stdout.write(f"Agendas created for {agendas} seeded events (kept if present).")
        if demo_organiser:
            email, password = ensure_demo_organiser(
                new_events=loaded.new_events, new_series=loaded.new_series
            )
            organiser = get_user_model().objects.get(email=email)
            library = load_question_library(organiser)
            demo = ensure_demo_people(organiser, new_events=loaded.new_events)
            self.stdout.write(
                "Demo participants (invented): {registered} on the SWAN hands-on demo, "
                "{checked_in} checked in; the WP2 series has {followers} followers; {library} "
                "questions in the organiser's library.".format(**demo, library=library)
            )
            self.stdout.write(
                self.style.SUCCESS(f"Demo organiser: log in as {email} with password {password}")
            )
