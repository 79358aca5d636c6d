"""Two reminder senders at the same instant (two cron hosts) on PostgreSQL: one mail each."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from escape_events.registrations import reminders
from escape_events.registrations.models import Registration, RegistrationSettings, SentReminder

from .test_races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def twenty_attendees(make_event, make_user):
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    event = make_event(start=start, end=start + timedelta(hours=2))
    RegistrationSettings.objects.create(event=event, opens_at=start - timedelta(days=30))
    for _ in range(20):
        registration = Registration.objects.create(
            event=event, user=make_user(), mode="onsite", status="confirmed"
        )
        Registration.objects.filter(pk=registration.pk).update(
            status_changed_at=start - timedelta(days=10)
        )
    return start - timedelta(minutes=50)  # the "1 hour before" reminder is due


def two_senders_at_once(now):
    race([lambda: reminders.send_due_reminders(now=now) for _ in range(2)])


def test_two_senders_at_once_send_each_reminder_once(twenty_attendees):
    two_senders_at_once(twenty_attendees)
    assert len(mail.outbox) == 20
    assert len({message.to[0] for message in mail.outbox}) == 20
    assert SentReminder.objects.filter(sent_at__isnull=False).count() == 20


def test_control_without_the_claim_two_senders_send_twice(twenty_attendees, monkeypatch):
    """The same race with a look-then-send check instead of the claim: people get two mails."""

    def look_then_send(reminder, now):
        if SentReminder.objects.filter(user=reminder.user).exists():
            return None
        time.sleep(0.02)  # the gap a busy machine leaves between looking and sending
        return SentReminder(user=reminder.user, starts_at=now, minutes_before=0, claimed_at=now)

    monkeypatch.setattr(reminders, "_claim", look_then_send)
    two_senders_at_once(twenty_attendees)
    assert len(mail.outbox) > 20
