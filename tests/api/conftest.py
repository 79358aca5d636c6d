"""People, events and tokens for the API tests; `api` speaks JSON with a token or a session."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client

from escape_events.api.services import issue_api_token
from escape_events.registrations.models import Question


@pytest.fixture(autouse=True)
def fast_passwords_and_fresh_limits(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def organiser(make_user):
    return make_user(first_name="Olga", last_name="Organiser", email="olga@example.org")


@pytest.fixture
def other_organiser(make_user, make_event):
    person = make_user(first_name="Otto", last_name="Other", email="otto@example.org")
    make_event(title="Otto's event", slug="ottos-event").organisers.add(person)
    return person


@pytest.fixture
def hands_on(make_registrable, organiser):
    """The SWAN hands-on: 2 on-site seats, unlimited remote, a question about the experiment."""
    event = make_registrable(
        onsite=2,
        event_fields={"title": "SWAN hands-on", "slug": "swan-hands-on", "kind": "hands_on"},
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


def accepted_notice() -> int:
    """The privacy notice version a registration through the API must accept (as the form's box)."""
    from escape_events.accounts.services import privacy_notice_in_force

    return privacy_notice_in_force().version
