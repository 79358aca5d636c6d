"""Invented participants for the demo hands-on, so that `make run` shows names everywhere: the
participant table, the public list, badges, certificates and reminder previews (development
only, made by `load_seeds --demo-organiser`). They are set up with the demo event, once: a
later load leaves their registrations, check-ins and follows as people changed them."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from escape_events.events.models import Event, Series
from escape_events.events.seeding import demo_slugs

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


def _register_demo_people(event: Event, people: list, organiser) -> None:
    """Register the people (within the seats, so no waiting list is bypassed), check two in,
    and make two of them (and the demo organiser) follow the WP2 series."""
    answers = {question.label: question for question in event.questions.all()}
    now = timezone.now()
    for number, (person, (*_names, mode, listed, present)) in enumerate(
        zip(people, DEMO_PEOPLE, strict=True)
    ):
        # People came in over the days since registration opened, so the chart has a story.
        came_in = now - timedelta(days=len(DEMO_PEOPLE) - number, hours=3 * number)
        registration = Registration.objects.create(
            event=event, user=person, mode=mode, status=Registration.Status.CONFIRMED
        )
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


@transaction.atomic
def ensure_demo_people(organiser=None, *, new_events=frozenset()) -> dict[str, int]:
    """Set the demo people up when the demo event was created by this load (`new_events`);
    returns how the demo stands."""
    event = Event.objects.filter(slug=DEMO_EVENT).first()
    if event is None:
        return {"registered": 0, "checked_in": 0, "followers": 0}
    people = [_person(first, last, affiliation) for first, last, affiliation, *_ in DEMO_PEOPLE]
    if DEMO_EVENT in new_events:
        _register_demo_people(event, people, organiser)
    series = Series.objects.filter(slug=DEMO_SERIES).first()
    demo = Registration.objects.filter(
        event=event, user__in=people, status__in=Registration.ACTIVE_STATUSES
    )
    return {
        "registered": demo.count(),
        "checked_in": demo.filter(checked_in_at__isnull=False).count(),
        "followers": series.followers.count() if series else 0,
    }


@transaction.atomic
def discard_demo_edition() -> list[str]:
    """Delete the demo events and series with everything people did in them (registrations,
    questions, agendas, moved meetings), so that the next load makes them afresh. Returns
    one line per thing discarded; nobody is mailed."""
    event_slugs, series_slugs = demo_slugs()
    events = Event.objects.filter(
        Q(slug__in=event_slugs) | Q(series__slug__in=series_slugs)
    ).annotate(
        registration_count=Count("registrations", distinct=True),
        question_count=Count("questions", distinct=True),
        entry_count=Count("agenda_entries", distinct=True),
    )
    discarded = [
        f"{event.slug}: {event.registration_count} registrations, {event.question_count} "
        f"questions, {event.entry_count} agenda entries"
        for event in events.order_by("start")
    ]
    discarded += [
        f"series {slug}"
        for slug in Series.objects.filter(slug__in=series_slugs).values_list("slug", flat=True)
    ]
    Event.objects.filter(pk__in=[event.pk for event in events]).delete()
    Series.objects.filter(slug__in=series_slugs).delete()
    return discarded
