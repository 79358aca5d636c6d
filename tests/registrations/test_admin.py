"""The admin changes seats only through the services: capacities promote, actions promote."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from escape_events.registrations import services
from escape_events.registrations.models import Registration, RegistrationSettings

Mode = Registration.Mode
Status = Registration.Status


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser(
        username="admin", email="admin@example.org", password="an-admin-password-1"
    )
    client.force_login(admin)
    return client


def test_raising_a_capacity_in_the_admin_promotes_the_waiting_list(
    admin_client, make_registrable, make_user
):
    event = make_registrable(onsite=1)
    services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    waiter, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    settings = event.registration_settings
    url = reverse("admin:registrations_registrationsettings_change", args=[settings.pk])
    assert admin_client.get(url).status_code == 200
    form = {
        "event": event.pk,
        "registration_required": "on",
        "opens_at_0": settings.opens_at.strftime("%Y-%m-%d"),
        "opens_at_1": settings.opens_at.strftime("%H:%M:%S"),
        "allow_onsite": "on",
        "allow_remote": "on",
        "onsite_capacity": "2",
        "remote_capacity": "",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    waiter.refresh_from_db()
    assert waiter.status == Status.CONFIRMED


def test_cancelling_in_the_admin_gives_the_seat_to_the_next_person(
    admin_client, make_registrable, make_user
):
    event = make_registrable(onsite=1)
    holder, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    waiter, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    admin_client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "cancelled", "_selected_action": [holder.pk]},
    )
    holder.refresh_from_db()
    waiter.refresh_from_db()
    assert (holder.status, waiter.status) == (Status.CANCELLED, Status.CONFIRMED)


def test_registrations_cannot_be_deleted_or_edited_in_the_admin(admin_client, make_registrable,
                                                                make_user):  # fmt: skip
    event = make_registrable(onsite=1)
    holder, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    delete = reverse("admin:registrations_registration_delete", args=[holder.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:registrations_registration_change", args=[holder.pk])
    assert admin_client.get(change).status_code == 200
    listing = admin_client.get(reverse("admin:registrations_registration_changelist"))
    assert listing.status_code == 200 and "Promote from the waiting list" in listing.text
    admin_client.post(change, {"status": "cancelled"})
    holder.refresh_from_db()
    assert holder.status == Status.CONFIRMED


def _settings_form(settings, **changes):
    form = {
        "registration_required": "on",
        "opens_at_0": settings.opens_at.strftime("%Y-%m-%d"),
        "opens_at_1": settings.opens_at.strftime("%H:%M:%S"),
        "allow_onsite": "on",
        "allow_remote": "on",
        "onsite_capacity": str(settings.onsite_capacity or ""),
        "remote_capacity": str(settings.remote_capacity or ""),
    }
    form.update(changes)
    return form


def test_a_later_closing_time_set_in_the_admin_serves_the_waiting_list(
    admin_client, make_registrable, make_user
):
    closes = timezone.now() + timedelta(days=1)
    event = make_registrable(onsite=1, closes_at=closes)
    holder = make_user()
    seat, _ = services.register(event=event, user=holder, mode=Mode.ONSITE)
    waiter, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    # Two days on, registration has closed: a seat freed then goes to nobody by itself.
    services.cancel_registration(
        registration=seat, by=holder, now=timezone.now() + timedelta(days=2)
    )
    waiter.refresh_from_db()
    assert waiter.status == Status.WAITING
    settings = event.registration_settings
    later = closes + timedelta(days=7)
    url = reverse("admin:registrations_registrationsettings_change", args=[settings.pk])
    response = admin_client.post(
        url,
        _settings_form(
            settings,
            closes_at_0=later.strftime("%Y-%m-%d"),
            closes_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    waiter.refresh_from_db()
    assert waiter.status == Status.CONFIRMED


def test_registration_settings_are_added_in_the_admin_through_the_service(admin_client, make_event):
    event = make_event()
    settings = RegistrationSettings(
        event=event, opens_at=timezone.now(), onsite_capacity=12, remote_capacity=None
    )
    response = admin_client.post(
        reverse("admin:registrations_registrationsettings_add"),
        _settings_form(settings, event=event.pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = RegistrationSettings.objects.get(event=event)
    assert (stored.onsite_capacity, stored.remote_capacity) == (12, None)
