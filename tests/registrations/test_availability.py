"""One availability: the services, the registration box, "My registrations" and the organiser
pages read places and waiting lines from the same object, so they can never disagree."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from escape_events.events.models import Event
from escape_events.registrations import services
from escape_events.registrations.models import Registration
from escape_events.registrations.selectors import (
    my_registrations,
    registration_panel,
    with_registration_settings,
)

Mode = Registration.Mode
Status = Registration.Status


@pytest.fixture
def seat_free_but_someone_in_line(make_registrable, make_user):
    """On-site: 2 seats, 1 taken, and W holds a remote place while waiting for on-site (as a
    stale page's "remote now, stay on the on-site list" leaves it). The free seat is W's."""
    event = make_registrable(onsite=2, remote=5)
    services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    waiter = make_user()
    held, _ = services.register(event=event, user=waiter, mode=Mode.REMOTE)
    Registration.objects.filter(pk=held.pk).update(
        waiting_for_mode=Mode.ONSITE, waiting_since=timezone.now()
    )
    remote_person = make_user()
    remote, _ = services.register(event=event, user=remote_person, mode=Mode.REMOTE)
    return event, held, remote, remote_person


def test_every_reader_says_the_free_seat_belongs_to_the_person_in_line(
    seat_free_but_someone_in_line, make_user, client
):
    event, _held, remote, remote_person = seat_free_but_someone_in_line
    # The registration box: on-site is full, one waiting.
    read = with_registration_settings(Event.objects.filter(pk=event.pk)).get()
    offers = {offer.mode: offer for offer in registration_panel(read, make_user()).offers}
    assert offers[Mode.ONSITE].is_full and offers[Mode.ONSITE].waiting == 1
    # My registrations: the remote person is not offered a switch to on-site...
    (item,) = my_registrations(remote_person)
    assert item.switch_to == ""
    # ... and the service agrees.
    with pytest.raises(services.RegistrationRefused, match="full"):
        services.switch_mode(registration=remote, mode=Mode.ONSITE, by=remote_person)
    # The organiser's overview counts the person in line.
    organiser = make_user(is_staff=True)
    client.force_login(organiser)
    page = client.get(reverse("organisers:event_overview", args=[event.slug])).content.decode()
    onsite_card = page[page.index('id="mode-onsite"') : page.index('id="mode-remote"')]
    assert re.search(r"<dt>Waiting</dt><dd>1\b", onsite_card)


def test_a_newcomer_does_not_take_the_seat_of_the_person_in_line(
    seat_free_but_someone_in_line, make_user
):
    event, held, _remote, _person = seat_free_but_someone_in_line
    newcomer, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    held.refresh_from_db()
    # The person in line gets the free seat, first come first served; the newcomer waits.
    assert (held.mode, held.status, held.waiting_for_mode) == (Mode.ONSITE, Status.CONFIRMED, "")
    assert newcomer.status == Status.WAITING


def test_availability_is_one_query_and_agrees_with_a_recount(
    seat_free_but_someone_in_line, django_assert_num_queries
):
    from escape_events.registrations.availability import load_availability

    event, *_ = seat_free_but_someone_in_line
    settings = event.registration_settings
    with django_assert_num_queries(1):
        availability = load_availability(settings)
    rows = list(Registration.objects.filter(event=event))
    for mode in Mode.values:
        places = availability[mode]
        taken = sum(r.mode == mode and r.status in Registration.SEAT_STATUSES for r in rows)
        in_line = sum(
            (r.mode == mode and r.status == Status.WAITING)
            or (r.waiting_for_mode == mode and r.status in Registration.SEAT_STATUSES)
            for r in rows
        )
        assert (places.taken, places.waiting) == (taken, in_line)
        assert places.free == settings.capacity_for(mode) - taken
    assert not availability.has_room(Mode.ONSITE)  # a seat is free, but someone is in line
    assert availability.has_room(Mode.REMOTE)


def test_availability_is_pure():
    """Built from counts alone, without the database: the rule callers can reuse."""
    from escape_events.registrations.availability import Availability
    from escape_events.registrations.models import RegistrationSettings

    settings = RegistrationSettings(event_id=1, onsite_capacity=2, remote_capacity=None)
    counts = {
        (Mode.ONSITE, Status.CONFIRMED, ""): 1,
        (Mode.ONSITE, Status.PENDING, ""): 1,
        (Mode.ONSITE, Status.WAITING, ""): 3,
        (Mode.REMOTE, Status.CONFIRMED, Mode.ONSITE): 2,
        (Mode.REMOTE, Status.CANCELLED, ""): 7,
    }
    availability = Availability.from_counts(settings, counts)
    onsite, remote = availability[Mode.ONSITE], availability[Mode.REMOTE]
    assert (onsite.taken, onsite.free, onsite.waiting, onsite.waiting_with_place) == (2, 0, 5, 2)
    assert (remote.taken, remote.free, remote.waiting, remote.has_room) == (2, None, 0, True)
    assert not onsite.has_room and onsite.is_full
