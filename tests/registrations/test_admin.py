"""The admin changes seats only through the services: capacities promote, actions promote."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from escape_events.registrations import services
from escape_events.registrations.models import Registration

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
