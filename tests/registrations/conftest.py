"""Factories for people and registrable events."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from escape_events.registrations.models import RegistrationSettings


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 1_000_000))

    def make(*, verified=True, **fields):
        number = next(counter)
        email = fields.pop("email", f"person{number}@example.org")
        user = get_user_model().objects.create_user(
            username=fields.pop("username", f"person{number}"),
            email=email,
            password="a-long-test-password",
            first_name=fields.pop("first_name", f"Person{number}"),
            last_name=fields.pop("last_name", "Tester"),
            **fields,
        )
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def make_registrable(make_event):
    """An event in the future with registration open now; capacities as given."""

    def make(*, onsite=10, remote=None, event_fields=None, **settings_fields):
        now = timezone.now()
        start = now + timedelta(days=30)
        event = make_event(start=start, end=start + timedelta(hours=3), **(event_fields or {}))
        RegistrationSettings.objects.create(
            event=event,
            opens_at=now - timedelta(days=1),
            onsite_capacity=onsite,
            remote_capacity=remote,
            **settings_fields,
        )
        return event

    return make


@pytest.fixture
def person(make_user, client):
    """Someone with a confirmed address, signed in on the test client."""
    user = make_user()
    client.force_login(user)
    return user
