"""What every operation shares: problem details, ETags, CSRF for sessions only, rate limits,
idempotent retries, and where the documentation lives."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from escape_events.api.models import ApiToken, ApiWriteLog, IdempotentRequest
from escape_events.api.services import revoke_api_token
from escape_events.registrations.models import Registration

from .conftest import accepted_notice


@pytest.fixture
def body(hands_on):
    return {
        "mode": "onsite",
        "answers": {str(hands_on.questions.get().pk): "CMS"},
        "privacy_notice_version": accepted_notice(),
    }


def test_an_unchanged_read_is_a_304_with_its_etag(api, hands_on):
    first = api().get(f"/api/events/{hands_on.slug}")
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert "no-cache" in first["Cache-Control"]
    again = api().get(f"/api/events/{hands_on.slug}", **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    hands_on.title = "SWAN hands-on (room changed)"
    hands_on.save()
    changed = api().get(f"/api/events/{hands_on.slug}", **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(
    hands_on, make_user, make_token, body
):
    person = make_user()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    url = f"/api/events/{hands_on.slug}/registrations"
    refused = browser.post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("CSRF check failed")
    assert not Registration.objects.exists()
    assert browser.get("/api/me/registrations").status_code == 200  # reads need no CSRF token
    browser.get("/accounts/profile/")  # any page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        url, json.dumps(body), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201
    scripted = Client(enforce_csrf_checks=True)
    other = make_token(make_user(), registrations=True)
    response = scripted.post(
        url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {other}"
    )
    assert response.status_code == 201


@pytest.mark.parametrize("header", ["Bearer ee_not-a-token", "Bearer ", "Basic b2xnYTpwdw=="])
def test_a_bad_credential_is_a_401_problem(db, client, header):
    response = client.get("/api/me/registrations", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="escape_events"'


def test_expired_and_revoked_tokens_stop_working(api, make_user, make_token, hands_on):
    person = make_user()
    secret = make_token(person, registrations=True)
    assert api(secret).get("/api/me/registrations").status_code == 200
    token = ApiToken.objects.get(user=person)
    assert token.last_used_at is not None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=now - timedelta(days=2), expires_at=now - timedelta(seconds=1)
    )
    expired = api(secret).get("/api/me/registrations")
    assert expired.status_code == 401
    assert expired.json()["detail"] == "This API token is unknown, expired or revoked."
    second = make_token(person, registrations=True)
    revoke_api_token(token=ApiToken.objects.order_by("pk").last())
    assert api(second).get("/api/me/registrations").status_code == 401


def test_the_rate_limit_answers_429_with_retry_after(api, settings, make_user, make_token):
    settings.API_RATE_LIMIT = (3, 60)
    settings.API_ANONYMOUS_RATE_LIMIT = (2, 60)
    mine = api(make_token(make_user(), registrations=True))
    assert [mine.get("/api/me/registrations").status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = mine.get("/api/me/registrations")
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert [api().get("/api/events").status_code for _ in range(3)] == [200, 200, 429]
    someone_else = api(make_token(make_user(), registrations=True))
    assert someone_else.get("/api/me/registrations").status_code == 200


def test_a_retry_with_the_same_key_is_answered_from_the_first_time(
    api, make_user, make_token, hands_on, body
):
    me = api(make_token(make_user(), registrations=True))
    url = f"/api/events/{hands_on.slug}/registrations"
    first = me.post(url, body, **{"Idempotency-Key": "retry-me"})
    assert first.status_code == 201
    Registration.objects.all().delete()  # had the first one gone through twice, we would see it
    again = me.post(url, body, **{"Idempotency-Key": "retry-me"})
    assert (again.status_code, again.json()) == (201, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert not Registration.objects.exists()
    other = me.post(url, {**body, "mode": "remote"}, **{"Idempotency-Key": "retry-me"})
    assert other.status_code == 422
    assert "used for another request" in other.json()["detail"]
    bad = me.post(url, body, **{"Idempotency-Key": "with space"})
    assert bad.status_code == 400


def test_a_refused_write_keeps_no_key_so_a_later_retry_runs_again(
    api, make_user, make_token, hands_on
):
    me = api(make_token(make_user(), registrations=True))
    url = f"/api/events/{hands_on.slug}/registrations"
    refused = me.post(
        url,
        {"mode": "onsite", "privacy_notice_version": accepted_notice()},
        **{"Idempotency-Key": "k1"},
    )
    assert refused.status_code == 400
    assert not IdempotentRequest.objects.exists()
    assert ApiWriteLog.objects.get().status == 400


def test_a_key_still_being_answered_is_a_409(api, make_user, make_token, hands_on, body):
    me = api(make_token(make_user(), registrations=True))
    url = f"/api/events/{hands_on.slug}/registrations"
    assert me.post(url, body, **{"Idempotency-Key": "busy"}).status_code == 201
    IdempotentRequest.objects.update(status=None, body=None)  # as while the first one runs
    response = me.post(url, body, **{"Idempotency-Key": "busy"})
    assert response.status_code == 409
    assert (
        response.json()["detail"] == "A request with this Idempotency-Key is still being answered."
    )


def test_unknown_addresses_under_api_are_problems_too(client):
    response = client.get("/api/no/such/thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_schema_is_openapi_3_1_and_the_docs_use_only_local_assets(client):
    schema = client.get("/api/schema").json()
    assert schema["openapi"].startswith("3.1")
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(asset.startswith("/static/") for asset in assets), assets
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        b"".join(served.streaming_content) if served.streaming else served.content
    assert "<script>" not in page  # no inline script: a strict CSP keeps working
