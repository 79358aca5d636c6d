"""schemathesis drives every operation of the OpenAPI schema with generated data, valid and
invalid, and runs every check it has: no answer may be a server error, every answer must be what
the schema says (status codes, media types, bodies), what the schema calls valid is accepted and
what it calls invalid refused. Bounded examples keep it within `make test`."""

import uuid
import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import load_all_checks
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode

from escape_events.api.models import ApiToken
from escape_events.api.writes import KEY_HEADER
from escape_events.core.tokens import hash_token
from escape_events.registrations.models import Registration
from escape_events.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema", application)
schema.config.generation.update(max_examples=12, deterministic=True)

# Every check schemathesis has: no 5xx, answers as documented, invalid data refused and valid data
# (positive_data_acceptance) accepted, auth not ignored, no use after delete.
load_all_checks()
CHECKS = REGISTERED_CHECKS.get_all()
# Valid data may still meet a rule of the moment (the registration is not pending, the event is
# full): that is a 400 refusal with a `code`. 422 stays reserved for what the schema can say.
ACCEPTANCE = schema.config.checks.positive_data_acceptance
ACCEPTANCE.expected_statuses = [*ACCEPTANCE.expected_statuses, "400"]

# The world's token, given to schemathesis as the API's own auth (cases are drawn before the
# world exists, so its secret is fixed): `ignored_auth` then knows which credentials it may take
# away, and expects a 401 without them.
WORLD_SECRET = "ee_schemathesis-world-token"


@schema.auth()
class WorldToken:
    def get(self, case, context):
        return WORLD_SECRET

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


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
    make_token(organiser, registrations=True, organiser="write")
    ApiToken.objects.filter(user=organiser).update(token_hash=hash_token(WORLD_SECRET))
    return {
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


def _a_new_key_for_each_request(case):
    """A client sends a new Idempotency-Key with each new request; generated keys repeat across
    different bodies, which the API refuses (422, as the IETF draft on the header says)."""
    component = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    if component is None or component.mode != GenerationMode.POSITIVE:
        return
    if case.headers and KEY_HEADER in case.headers:
        case.headers[KEY_HEADER] = uuid.uuid4().hex


def _each_partner_once(case):
    """JSON Schema cannot say "unique by `event`" (uniqueItems compares whole items), so a
    generated `also` naming one event twice is schema-valid and refused with 422 by the API's
    own rule (tested in test_hostile_input.py): valid cases name each partner once."""
    component = case.meta.components.get(ParameterLocation.BODY) if case.meta else None
    if component is None or component.mode != GenerationMode.POSITIVE:
        return
    if isinstance(case.body, dict) and isinstance(case.body.get("also"), list):
        seen = set()
        case.body["also"] = [
            item
            for item in case.body["also"]
            if not (item["event"] in seen or seen.add(item["event"]))
        ]


@pytest.mark.django_db
@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api_answers_as_its_schema_says(case, world, keep_the_test_connection):
    _aim_at_real_things(case, world)
    _a_new_key_for_each_request(case)
    _each_partner_once(case)
    response = case.call()
    case.validate_response(response, checks=CHECKS)
