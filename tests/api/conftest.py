"""People, events and tokens for the API tests; `call` speaks JSON with a token or a session."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from escape_events.api.services import issue_api_token
from escape_events.registrations.models import Question, RegistrationSettings


@pytest.fixture(autouse=True)
def fast_passwords_and_fresh_limits(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_person(db):
    counter = iter(range(1, 1_000_000))

    def make(*, verified=True, **fields):
        number = next(counter)
        email = fields.pop("email", f"person{number}@example.org")
        user = get_user_model().objects.create_user(
            username=fields.pop("username", f"person{number}"),
            email=email,
            password="a-long-test-password",
            first_name=fields.pop("first_name", f"First{number}"),
            last_name=fields.pop("last_name", f"Last{number}"),
            **fields,
        )
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def organiser(make_person):
    return make_person(first_name="Olga", last_name="Organiser", email="olga@example.org")


@pytest.fixture
def other_organiser(make_person, make_event):
    person = make_person(first_name="Otto", last_name="Other", email="otto@example.org")
    make_event(title="Otto's event", slug="ottos-event").organisers.add(person)
    return person


@pytest.fixture
def make_registrable(make_event):
    """An event a month ahead with registration open now; capacities as given."""

    def make(*, onsite=2, remote=None, event_fields=None, **settings_fields):
        now = timezone.now()
        start = (now + timedelta(days=30)).replace(microsecond=0)
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
def hands_on(make_registrable, organiser):
    """The SWAN hands-on: 2 on-site seats, unlimited remote, a question about the experiment."""
    event = make_registrable(
        event_fields={"title": "SWAN hands-on", "slug": "swan-hands-on", "kind": "hands_on"}
    )
    event.organisers.add(organiser)
    Question.objects.create(
        event=event, label="Experiment", kind=Question.Kind.TEXT, position=1, required=True
    )
    return event


@pytest.fixture
def make_token():
    def make(user, *, registrations=False, organiser="", event=None, days=30):
        return issue_api_token(
            user=user,
            name="test",
            registrations=registrations,
            organiser=organiser,
            event=event,
            lifetime=timedelta(days=days),
        )[1]

    return make


class Api:
    """A test client that sends and reads JSON, with a bearer token when given one."""

    def __init__(self, client: Client, token: str = ""):
        self.client = client
        self.token = token

    def _headers(self, headers):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        extra.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
        return extra

    def get(self, path, params=None, **headers):
        return self.client.get(path, params or {}, **self._headers(headers))

    def post(self, path, body=None, **headers):
        return self.client.post(
            path, json.dumps(body or {}), content_type="application/json", **self._headers(headers)
        )


@pytest.fixture
def api(client):
    def make(token=""):
        return Api(client, token)

    return make
