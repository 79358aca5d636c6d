"""Who is given the link to join remotely: one rule (`rules.sees_remote_link`) for the event
page, the series box, the personal feed, the mails and the reminders."""

import pytest
from django.contrib.auth.models import AnonymousUser

from escape_events.registrations.models import Registration
from escape_events.registrations.rules import sees_remote_link

Mode = Registration.Mode
Status = Registration.Status


@pytest.mark.parametrize(
    ("status", "mode", "sees"),
    [
        (Status.CONFIRMED, Mode.REMOTE, True),
        (Status.CONFIRMED, Mode.ONSITE, False),  # a seat in the room, no link
        (Status.WAITING, Mode.REMOTE, False),
        (Status.PENDING, Mode.REMOTE, False),
        (Status.CANCELLED, Mode.REMOTE, False),
    ],
)
def test_where_registration_is_required_only_a_confirmed_remote_registration_sees_the_link(
    django_user_model, status, mode, sees
):
    person = django_user_model(username="p", email="p@example.org")
    registration = Registration(user=person, status=status, mode=mode)
    assert registration.joins_remotely is sees
    assert (
        sees_remote_link(user=person, registration=registration, registration_required=True) is sees
    )


def test_where_registration_is_required_a_signed_in_person_without_one_does_not(
    django_user_model,
):
    person = django_user_model(username="p", email="p@example.org")
    assert not sees_remote_link(user=person, registration=None, registration_required=True)


def test_without_registration_any_signed_in_person_sees_the_link_and_a_visitor_does_not(
    django_user_model,
):
    person = django_user_model(username="p", email="p@example.org")
    assert sees_remote_link(user=person, registration=None, registration_required=False)
    assert not sees_remote_link(
        user=AnonymousUser(), registration=None, registration_required=False
    )
