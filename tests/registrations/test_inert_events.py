"""Cancelled, closed and finished events are inert: places change hands only as registering
allows (not cancelled, inside the window, members of the restricted groups), in the services."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from escape_events.events.services import cancel_event, update_event
from escape_events.registrations import services
from escape_events.registrations.models import Registration

Mode = Registration.Mode
Status = Registration.Status


def promotion_mails():
    return [m.to[0] for m in mail.outbox if m.subject.startswith("A place opened up")]


@pytest.fixture
def full_with_a_waiter(make_registrable, make_user):
    """One on-site seat, held; one person waiting; an organiser."""

    def make(**settings):
        event = make_registrable(onsite=1, remote=5, **settings)
        organiser = make_user()
        event.organisers.add(organiser)
        holder = make_user()
        seat, _ = services.register(event=event, user=holder, mode=Mode.ONSITE)
        waiter = make_user()
        waiting, _ = services.register(event=event, user=waiter, mode=Mode.ONSITE)
        assert waiting.status == Status.WAITING
        mail.outbox.clear()
        return event, organiser, seat, holder, waiting, waiter

    return make


def test_a_seat_freed_at_a_cancelled_event_promotes_nobody(
    full_with_a_waiter, django_capture_on_commit_callbacks
):
    event, organiser, seat, _holder, waiting, _waiter = full_with_a_waiter()
    cancel_event(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=seat, by=organiser)
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING
    assert promotion_mails() == []


def test_raising_the_capacity_of_a_cancelled_event_promotes_nobody(full_with_a_waiter):
    event, *_rest, waiting, _waiter = full_with_a_waiter()
    cancel_event(event=event)
    assert (
        services.set_capacity(
            settings=event.registration_settings, onsite_capacity=5, remote_capacity=5
        )
        == []
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING


def test_a_remote_attendee_cannot_switch_to_on_site_at_a_cancelled_event(
    make_registrable, make_user
):
    event = make_registrable(onsite=5, remote=5)
    person = make_user()
    remote, _ = services.register(event=event, user=person, mode=Mode.REMOTE)
    cancel_event(event=event)
    with pytest.raises(services.RegistrationRefused, match="cancelled") as refused:
        services.switch_mode(registration=remote, mode=Mode.ONSITE, by=person)
    assert refused.value.status == 409
    remote.refresh_from_db()
    assert (remote.mode, remote.status) == (Mode.REMOTE, Status.CONFIRMED)


@pytest.mark.parametrize("action", ["approve", "promote_by_hand"])
def test_organisers_give_no_place_at_a_cancelled_event(make_registrable, make_user, action):
    event = make_registrable(onsite=1, needs_approval=True)
    organiser = make_user()
    event.organisers.add(organiser)
    pending, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    assert pending.status == Status.PENDING
    cancel_event(event=event)
    with pytest.raises(services.RegistrationRefused, match="cancelled"):
        getattr(services, action)(registration=pending, by=organiser)
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_after_registration_closed_a_freed_seat_goes_to_nobody_by_itself(
    full_with_a_waiter, django_capture_on_commit_callbacks
):
    event, organiser, seat, _holder, waiting, _waiter = full_with_a_waiter()
    later = timezone.now() + timedelta(days=2)
    services.set_capacity(settings=event.registration_settings, onsite_capacity=1,
                          remote_capacity=5)  # fmt: skip
    event.registration_settings.closes_at = timezone.now() + timedelta(days=1)
    event.registration_settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=seat, by=organiser, now=later)
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING and promotion_mails() == []
    # The organisers may still give the place by hand: finishing the list is theirs.
    services.promote_by_hand(registration=waiting, by=organiser, now=later)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_after_registration_closed_an_attendee_cannot_switch(make_registrable, make_user):
    event = make_registrable(onsite=5, remote=5, closes_at=timezone.now() + timedelta(days=1))
    person = make_user()
    remote, _ = services.register(event=event, user=person, mode=Mode.REMOTE)
    with pytest.raises(services.RegistrationRefused, match="closed"):
        services.switch_mode(
            registration=remote,
            mode=Mode.ONSITE,
            by=person,
            now=timezone.now() + timedelta(days=2),
        )


def test_nobody_is_promoted_by_hand_once_the_event_is_over(full_with_a_waiter):
    event, organiser, _seat, _holder, waiting, _waiter = full_with_a_waiter()
    with pytest.raises(services.RegistrationRefused, match="over"):
        services.promote_by_hand(
            registration=waiting, by=organiser, now=event.end + timedelta(minutes=1)
        )


def test_only_members_of_the_restricted_groups_move_up(
    full_with_a_waiter, make_user, django_capture_on_commit_callbacks
):
    event, organiser, seat, _holder, outsider, _waiter = full_with_a_waiter()
    escape = Group.objects.create(name="/escape")
    member = make_user()
    member.groups.add(escape)
    # Restricted after the first person joined the line; a member joins after them.
    event.registration_settings.restricted_to_groups.set([escape])
    member_waiting, _ = services.register(event=event, user=member, mode=Mode.ONSITE)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=seat, by=organiser)
    outsider.refresh_from_db()
    member_waiting.refresh_from_db()
    assert (outsider.status, member_waiting.status) == (Status.WAITING, Status.CONFIRMED)
    with pytest.raises(services.RegistrationRefused, match="members of /escape"):
        services.promote_by_hand(registration=outsider, by=organiser)


def test_restoring_a_cancelled_event_serves_its_waiting_list(
    full_with_a_waiter, django_capture_on_commit_callbacks
):
    event, organiser, seat, _holder, waiting, waiter = full_with_a_waiter()
    cancel_event(event=event)
    services.cancel_registration(registration=seat, by=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        update_event(event=event, values={"status": event.Status.SCHEDULED})
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert promotion_mails() == [waiter.email]
