"""Every organiser operation, for every kind of credential: another organiser's event is a 404
(revealing nothing), a token without the scope a 403, and the database does not change."""

import json

import pytest

from escape_events.api.main import api as escape_api
from escape_events.events.models import Event
from escape_events.organisers.models import ExportLog
from escape_events.registrations.models import Registration

PATHS = escape_api.get_openapi_schema(path_prefix="/api")["paths"]
EVENT_OPERATIONS = sorted(
    (method.upper(), path)
    for path, operations in PATHS.items()
    if path.startswith("/api/organise/events/{slug}")
    for method in operations
)
ACTIONS = ["approve", "reject", "cancel", "promote"]


def test_the_list_covers_every_organiser_operation_on_an_event():
    assert len(EVENT_OPERATIONS) == 5
    assert ("POST", "/api/organise/events/{slug}/check-in") in EVENT_OPERATIONS


@pytest.fixture
def ottos(other_organiser, make_user):
    """Otto's event, with a waiting and a pending registration (every action has a target)."""
    event = Event.objects.get(slug="ottos-event")
    waiting = Registration.objects.create(
        event=event, user=make_user(), mode="onsite", status="waiting",
        waiting_since=event.start,
    )  # fmt: skip
    Registration.objects.create(event=event, user=make_user(), mode="remote", status="pending")
    return event, waiting


def snapshot():
    return (
        list(Registration.objects.values_list("pk", "status", "mode", "checked_in_at")),
        ExportLog.objects.count(),
        list(Event.objects.values_list("pk", "status", "sequence")),
    )


def calls(event, registration):
    for method, path in EVENT_OPERATIONS:
        url = path.replace("{slug}", event.slug).replace("{pk}", str(registration.pk))
        for action in ACTIONS if "{action}" in url else [""]:
            yield method, url.replace("{action}", action)


def ask(client, method, url, registration, headers):
    if method == "GET":
        return client.get(url, **headers)
    body = json.dumps({"code": registration.check_in_code})
    return client.post(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize("scope", ["organiser:read", "organiser:write", "session"])
def test_another_organisers_event_is_404_and_nothing_changes(
    client, organiser, hands_on, ottos, make_token, scope
):
    event, registration = ottos
    headers = {}
    if scope == "session":
        client.force_login(organiser)
    else:
        access = scope.split(":")[1]
        token = make_token(organiser, organiser=access, registrations=True)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    before = snapshot()
    for method, url in calls(event, registration):
        response = ask(client, method, url, registration, headers)
        expected = 403 if scope == "organiser:read" and method == "POST" else 404
        assert response.status_code == expected, (method, url, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert event.title not in response.content.decode()
    assert snapshot() == before


def test_a_token_without_organiser_scope_gets_403_even_on_its_own_event(
    client, organiser, hands_on, make_token, make_user
):
    registration = Registration.objects.create(
        event=hands_on, user=make_user(), mode="onsite", status="pending"
    )
    token = make_token(organiser, registrations=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    before = snapshot()
    for method, url in calls(hands_on, registration):
        response = ask(client, method, url, registration, headers)
        assert response.status_code == 403, (method, url)
        assert response.json()["detail"] == "This API token lacks the organiser:read scope." or (
            response.json()["detail"] == "This API token lacks the organiser:write scope."
        )
    assert client.get("/api/organise/events", **headers).status_code == 403
    assert snapshot() == before


def test_a_token_limited_to_one_event_reaches_no_other(
    client, organiser, hands_on, make_registrable, make_token, make_user
):
    second = make_registrable()
    second.organisers.add(organiser)
    registration = Registration.objects.create(
        event=second, user=make_user(), mode="onsite", status="pending"
    )
    token = make_token(organiser, organiser="write", event=hands_on)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    before = snapshot()
    for method, url in calls(second, registration):
        assert ask(client, method, url, registration, headers).status_code == 404, url
    assert snapshot() == before
    listed = client.get("/api/organise/events", **headers).json()["items"]
    assert [item["slug"] for item in listed] == [hands_on.slug]
    assert client.get(f"/api/organise/events/{hands_on.slug}", **headers).status_code == 200


def test_organiser_reads_need_a_credential(client, hands_on):
    for method, url in calls(hands_on, Registration(pk=1, check_in_code="x")):
        response = ask(client, method, url, Registration(check_in_code="x"), {})
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Bearer")
