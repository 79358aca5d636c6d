"""The register endpoint keeps the page's exactness when people press at the same instant:
threads with their own PostgreSQL connections race through the whole API stack."""

import json

import pytest
from django.test import Client

from escape_events.registrations.models import Registration
from tests.registrations.test_races import pause_after_reading_availability, race

from .conftest import accepted_notice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
Status = Registration.Status


def press(event, token, statuses, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    body = json.dumps({"mode": "onsite", "privacy_notice_version": accepted_notice()})

    def go():
        response = Client().post(
            f"/api/events/{event.slug}/registrations",
            body,
            content_type="application/json",
            **headers,
        )
        statuses.append(response.status_code)

    return go


def thirty_through_the_api(make_registrable, make_user, make_token, monkeypatch):
    """Thirty clients register at once for ten seats; each request pauses between reading the
    seats and inserting (tests/registrations/test_races.py)."""
    event = make_registrable(onsite=10)
    tokens = [make_token(make_user(), registrations=True) for _ in range(30)]
    statuses = []
    paused = pause_after_reading_availability(monkeypatch)
    race([press(event, token, statuses) for token in tokens])
    assert statuses == [201] * 30
    assert len(set(paused)) == len(tokens)
    return event


def test_thirty_api_clients_for_ten_seats_give_ten_confirmed_and_twenty_waiting(
    make_registrable, make_user, make_token, monkeypatch
):
    event = thirty_through_the_api(make_registrable, make_user, make_token, monkeypatch)
    rows = Registration.objects.filter(event=event)
    assert rows.filter(status=Status.CONFIRMED).count() == 10
    waiting = list(rows.filter(status=Status.WAITING).order_by("waiting_since", "pk"))
    assert len(waiting) == 20
    assert [row.pk for row in waiting] == sorted(row.pk for row in waiting)


def test_one_client_retrying_ten_times_at_once_registers_once(
    make_registrable, make_user, make_token, monkeypatch
):
    event = make_registrable(onsite=10)
    token = make_token(make_user(), registrations=True)
    statuses = []
    paused = pause_after_reading_availability(monkeypatch)
    race([press(event, token, statuses, key="same-click") for _ in range(10)])
    assert paused  # at least the one answered request paused before inserting
    assert Registration.objects.filter(event=event).count() == 1
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}  # 409: the same key while the first is being answered


@pytest.mark.usefixtures("without_event_locks")
def test_control_without_the_lock_the_api_race_overbooks(
    make_registrable, make_user, make_token, monkeypatch
):
    """Shows that the race above bites: with the seat lock off, the same race oversells."""
    event = thirty_through_the_api(make_registrable, make_user, make_token, monkeypatch)
    assert Registration.objects.filter(event=event, status=Status.CONFIRMED).count() > 10
