"""schemathesis drives every operation of the OpenAPI schema with generated data, valid and
invalid: no answer may be a server error, and every answer must be what the schema says
(status codes, media types, bodies). Bounded examples keep it within `make test`."""

import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from escape_events.registrations.models import Registration
from escape_events.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema", application)
schema.config.generation.update(max_examples=12, deterministic=True)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def world(hands_on, organiser, make_user, make_token, make_registrable, wp2_series):
    """Real things for valid paths to reach: an event with registrations, a series, a token
    that may do everything (its person organises the event and registered for another)."""
    hands_on.questions.update(required=False)
    registration = Registration.objects.create(
        event=hands_on, user=make_user(), mode="onsite", status="confirmed"
    )
    elsewhere = make_registrable(onsite=None, remote=None)
    own = Registration.objects.create(
        event=elsewhere, user=organiser, mode="onsite", status="confirmed"
    )
    token = make_token(organiser, registrations=True, organiser="write")
    return {
        "token": token,
        "slug": hands_on.slug,
        "series": wp2_series.slug,
        "pk": registration.pk,
        "own": own.pk,
    }


@pytest.fixture
def keep_the_test_connection():
    """schemathesis calls the WSGI app directly; like Django's test client, keep the request
    signals from closing the test's database connection (its transaction) after each call."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _aim_at_real_things(case, world):
    """Half the valid paths name things that exist (random slugs would only ever find 404);
    the other half keep what was generated (huge numbers, odd slugs). Chosen by a checksum
    of the generated values, so a run can be repeated."""
    component = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
    if component is None or component.mode != GenerationMode.POSITIVE:
        return
    if zlib.crc32(repr(sorted(case.path_parameters.items())).encode()) % 2:
        return
    params = case.path_parameters
    if "slug" in params:
        params["slug"] = world["series"] if case.path.startswith("/api/series") else world["slug"]
    if "pk" in params:
        params["pk"] = world["own"] if case.path.startswith("/api/me/") else world["pk"]


@pytest.mark.django_db
@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api_answers_as_its_schema_says(case, world, keep_the_test_connection):
    _aim_at_real_things(case, world)
    response = case.call(headers={"Authorization": f"Bearer {world['token']}"})
    case.validate_response(response, checks=CHECKS)
