"""People and events for the organiser's side: an organiser, a stranger organiser, registrants."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from escape_events.registrations.models import Answer, Question, Registration, RegistrationSettings


@pytest.fixture
def make_person(db):
    counter = iter(range(1, 1_000_000))

    def make(**fields):
        number = next(counter)
        values = {
            "username": f"person{number}",
            "email": f"person{number}@example.org",
            "first_name": f"First{number}",
            "last_name": f"Last{number}",
        }
        values.update(fields)
        return get_user_model().objects.create_user(password="a-long-test-password", **values)

    return make


@pytest.fixture
def organiser(make_person):
    """Allowed to create events (the `events.add_event` right), like the demo organiser."""
    person = make_person(first_name="Olga", last_name="Organiser", email="olga@example.org")
    person.user_permissions.add(
        Permission.objects.get(content_type__app_label="events", codename="add_event")
    )
    return person


@pytest.fixture
def other_organiser(make_person, make_event):
    """Organises an event of their own, and nothing of `organiser`'s."""
    person = make_person(first_name="Otto", last_name="Other", email="otto@example.org")
    make_event(title="Otto's event").organisers.add(person)
    return person


@pytest.fixture
def hands_on(make_event, organiser):
    """A SWAN hands-on a month ahead: 2 on-site seats, unlimited remote, one question."""
    now = timezone.now()
    start = (now + timedelta(days=30)).replace(second=0, microsecond=0)
    event = make_event(
        title="SWAN hands-on", slug="swan-hands-on", start=start, end=start + timedelta(hours=3)
    )
    event.organisers.add(organiser)
    RegistrationSettings.objects.create(
        event=event,
        opens_at=now - timedelta(days=10),
        onsite_capacity=2,
        remote_capacity=None,
        public_participant_list=True,
    )
    Question.objects.create(event=event, label="Experiment", kind=Question.Kind.TEXT, position=1)
    return event


@pytest.fixture
def register(make_person):
    """A registration row as the registrations app would store it (services tested there)."""

    def make(event, *, mode=Registration.Mode.ONSITE, status=Registration.Status.CONFIRMED,
             answer=None, person=None, **fields):  # fmt: skip
        person = person or make_person()
        now = timezone.now()
        registration = Registration.objects.create(
            event=event,
            user=person,
            mode=mode,
            status=status,
            waiting_since=now if status == Registration.Status.WAITING else None,
            **fields,
        )
        if answer is not None:
            Answer.objects.create(
                registration=registration, question=event.questions.first(), value=answer
            )
        return registration

    return make


@pytest.fixture
def signed_in(client, organiser):
    """The test client, signed in as `organiser`."""
    client.force_login(organiser)
    return client
