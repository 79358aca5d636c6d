"""Attendee mails travel one durable path: stored in the outbox in the transaction of the change
they report (a mail exists if and only if its change committed), written and sent by the worker."""

import zoneinfo
from datetime import datetime

import pytest
from django.core import mail
from django.db import transaction

from escape_events.outbox.models import OutgoingMail
from escape_events.outbox.services import deliver_due
from escape_events.registrations import services
from escape_events.registrations.models import Registration


def delivered_to(person) -> list:
    """What the mail worker writes and sends to this person, in order."""
    deliver_due()
    return [sent.message() for sent in mail.outbox if sent.to == [person.email]]


def text_of(message) -> str:
    return next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )


def attachments_of(message) -> list[str]:
    return sorted(part.get_filename() for part in message.walk() if part.get_filename())


def test_the_confirmation_is_stored_with_the_registration_and_only_with_it(
    outbox, make_registrable, make_user
):
    event = make_registrable()
    person = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.register(event=event, user=person, mode=Registration.Mode.ONSITE)
        assert OutgoingMail.objects.count() == 1  # stored inside the transaction
        raise RuntimeError("the request failed after registering")
    assert not Registration.objects.exists() and not OutgoingMail.objects.exists()

    services.register(event=event, user=person, mode=Registration.Mode.ONSITE)
    (message,) = delivered_to(person)
    assert message["Subject"] == f"Your registration for {event.title}"
    assert attachments_of(message) == ["check-in-qr-code.png", f"{event.slug}.ics"]
    assert f"You are registered for {event.title}." in text_of(message)


def test_a_double_submit_stores_one_confirmation(outbox, make_registrable, make_user):
    event = make_registrable()
    person = make_user()
    _, created = services.register(event=event, user=person, mode=Registration.Mode.ONSITE)
    _, again = services.register(event=event, user=person, mode=Registration.Mode.ONSITE)
    assert (created, again) == (True, False)
    assert len(delivered_to(person)) == 1


def test_each_mail_tells_the_state_the_registration_had_when_it_was_sent(
    outbox, make_registrable, make_user
):
    """Waiting, then promoted a moment later: two mails, each true when it was written."""
    event = make_registrable(onsite=1)
    first, second = make_user(), make_user()
    taken, _ = services.register(event=event, user=first, mode=Registration.Mode.ONSITE)
    services.register(event=event, user=second, mode=Registration.Mode.ONSITE)
    services.cancel_registration(registration=taken, by=first)

    waiting, promoted = delivered_to(second)
    assert "you are on the waiting list" in text_of(waiting)
    assert attachments_of(waiting) == []
    assert promoted["Subject"] == f"A place opened up for you at {event.title}"
    assert "On-site · Confirmed" in text_of(promoted)
    assert attachments_of(promoted) == ["check-in-qr-code.png", f"{event.slug}.ics"]


def test_the_waiting_list_mail_gives_the_place_in_line(outbox, make_registrable, make_user):
    event = make_registrable(onsite=1)
    services.register(event=event, user=make_user(), mode=Registration.Mode.ONSITE)
    second, third = make_user(), make_user()
    services.register(event=event, user=second, mode=Registration.Mode.ONSITE)
    services.register(event=event, user=third, mode=Registration.Mode.ONSITE)

    (to_second,) = delivered_to(second)
    (to_third,) = delivered_to(third)
    assert "you are on the waiting list: you are number 1 in line." in text_of(to_second)
    assert "you are on the waiting list: you are number 2 in line." in text_of(to_third)


def test_a_same_day_event_is_told_with_its_date_once_and_an_all_day_one_with_its_last_day(
    outbox, make_registrable, make_user
):
    zurich = zoneinfo.ZoneInfo("Europe/Zurich")
    event = make_registrable()
    event.start = datetime(2030, 1, 28, 14, 0, tzinfo=zurich)
    event.end = datetime(2030, 1, 28, 17, 30, tzinfo=zurich)
    event.save()
    person = make_user()
    services.register(event=event, user=person, mode=Registration.Mode.ONSITE)
    (message,) = delivered_to(person)
    assert "When: Mon 28 Jan 2030, 14:00–17:30 CET (Europe/Zurich)" in text_of(message)

    camp = make_registrable(event_fields={"all_day": True})
    camp.start = datetime(2030, 1, 28, 0, 0, tzinfo=zurich)
    camp.end = datetime(2030, 1, 31, 0, 0, tzinfo=zurich)
    camp.save()
    camper = make_user()
    services.register(event=camp, user=camper, mode=Registration.Mode.ONSITE)
    (message,) = delivered_to(camper)
    assert "When: Mon 28 – Wed 30 Jan 2030 (Europe/Zurich)" in text_of(message)
    assert "00:00" not in text_of(message)
