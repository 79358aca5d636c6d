"""Invented participants for the demo hands-on, so that `make run` shows names everywhere: the
participant table, the public list, badges, certificates and reminder previews (development
only, made by `load_seeds --demo-organiser`; idempotent)."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from escape_events.events.models import Event, Series

from .models import Answer, Registration, SeriesFollower, StatusChange

DEMO_EVENT = "swan-hands-on-demo"
DEMO_SERIES = "escape-wp2-meeting"
# first name, family name, affiliation, mode, listed publicly, checked in
DEMO_PEOPLE = [
    ("Ada", "Lovelace", "CERN", "onsite", True, True),
    ("Enrico", "Fermi", "INFN", "onsite", True, True),
    ("Lise", "Meitner", "DESY", "remote", True, False),
    ("Chien-Shiung", "Wu", "SKAO", "onsite", False, False),
    ("Subrahmanyan", "Chandrasekhar", "CTAO", "remote", True, False),
    ("Marie", "Skłodowska-Curie", "Université Paris-Saclay", "onsite", True, False),
    ("Niels", "Bohr", "Niels Bohr Institute", "remote", False, False),
    ("Emmy", "Noether", "Universität Göttingen", "onsite", True, False),
]


def _person(first: str, last: str, affiliation: str):
    email = f"{first}.{last}".lower().replace(" ", "") + "@example.org"
    email = email.encode("ascii", "ignore").decode()
    person, created = get_user_model().objects.get_or_create(
        email=email,
        defaults={
            "username": email.split("@")[0],
            "first_name": first,
            "last_name": last,
            "affiliation": affiliation,
        },
    )
    if created:
        person.set_unusable_password()
        person.save(update_fields=["password"])
        EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    return person


@transaction.atomic
def ensure_demo_people(organiser=None) -> dict[str, int]:
    """Register the demo people (within the seats, so no waiting list is bypassed), check two
    in, and make two of them (and the demo organiser) follow the WP2 series."""
    event = Event.objects.filter(slug=DEMO_EVENT).first()
    if event is None:
        return {"registered": 0, "checked_in": 0, "followers": 0}
    answers = {question.label: question for question in event.questions.all()}
    now = timezone.now()
    people = []
    for number, (first, last, affiliation, mode, listed, present) in enumerate(DEMO_PEOPLE):
        # People came in over the days since registration opened, so the chart has a story.
        came_in = now - timedelta(days=len(DEMO_PEOPLE) - number, hours=3 * number)
        person = _person(first, last, affiliation)
        people.append(person)
        registration, created = Registration.objects.get_or_create(
            event=event,
            user=person,
            status__in=Registration.ACTIVE_STATUSES,
            defaults={"mode": mode, "status": Registration.Status.CONFIRMED},
        )
        if created:
            Registration.objects.filter(pk=registration.pk).update(
                consent_to_list=listed,
                checked_in_at=now if present else None,
                created_at=came_in,
                status_changed_at=came_in,
            )
            StatusChange.objects.filter(registration=registration).update(at=came_in)
            if "Do you have a SWAN account?" in answers:
                Answer.objects.create(
                    registration=registration,
                    question=answers["Do you have a SWAN account?"],
                    value="yes" if listed else "no",
                )
    series = Series.objects.filter(slug=DEMO_SERIES).first()
    if series is not None:
        for person in [*people[:2], *([organiser] if organiser else [])]:
            SeriesFollower.objects.get_or_create(series=series, user=person)
    return {
        "registered": Registration.objects.filter(event=event, user__in=people).count(),
        "checked_in": Registration.objects.filter(
            event=event, user__in=people, checked_in_at__isnull=False
        ).count(),
        "followers": series.followers.count() if series else 0,
    }
