"""Reminders: due once per person and reminder, with the right content, by a scheduled command."""

import zoneinfo
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from escape_events.events.services import cancel_occurrence, materialise_occurrence
from escape_events.registrations import reminders
from escape_events.registrations.models import (
    Registration,
    RegistrationSettings,
    ReminderPlan,
    SentReminder,
    SeriesFollower,
)

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
START = datetime(2030, 3, 13, 10, 0, tzinfo=CHICAGO)  # 10:00 CDT


@pytest.fixture
def workshop(make_event, venue):
    event = make_event(
        title="SWAN users' workshop",
        start=START,
        end=START + timedelta(hours=6),
        time_zone="America/Chicago",
        venue=venue,
        online_url="https://meet.example.org/swan",
    )
    RegistrationSettings.objects.create(event=event, opens_at=START - timedelta(days=60))
    return event


def attend(event, user, mode="onsite", status="confirmed", at=None):
    registration = Registration.objects.create(
        event=event,
        user=user,
        mode=mode,
        status=status,
        waiting_since=at if status == "waiting" else None,
    )
    Registration.objects.filter(pk=registration.pk).update(
        status_changed_at=at or START - timedelta(days=30)
    )
    registration.refresh_from_db()
    return registration


def run(at: datetime) -> str:
    out = StringIO()
    call_command("send_reminders", f"--now={at.isoformat()}", stdout=out)
    return out.getvalue()


def mails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_running_twice_over_a_window_sends_one_mail_per_person_and_reminder(workshop, make_user):
    onsite = [make_user() for _ in range(2)]
    remote = make_user()
    waiting, cancelled = make_user(), make_user()
    for person in onsite:
        attend(workshop, person)
    attend(workshop, remote, mode="remote")
    attend(workshop, waiting, status="waiting", at=START - timedelta(days=20))
    attend(workshop, cancelled, status="cancelled")

    for minutes in (60 * 25, 60 * 24 - 1, 60 * 24 - 6, 60 * 24 - 6, 60 * 3, 59, 59, 30, 1):
        run(START - timedelta(minutes=minutes))  # a 5-minute cron, one run repeated
    run(START + timedelta(minutes=5))  # started: nothing more

    for person in [*onsite, remote]:
        subjects = [message.subject for message in mails_to(person.email)]
        assert len(subjects) == 2, subjects  # one day before, one hour before
    assert not mails_to(waiting.email) and not mails_to(cancelled.email)
    assert SentReminder.objects.filter(sent_at__isnull=False).count() == 6
    assert set(SentReminder.objects.values_list("minutes_before", flat=True)) == {1440, 60}


def test_the_reminder_gives_the_time_in_the_events_zone_link_or_ticket(workshop, make_user):
    here = attend(workshop, make_user(first_name="Ada", last_name="Lovelace"))
    away = attend(workshop, make_user(), mode="remote")

    out = run(START - timedelta(hours=20))

    assert "Reminders sent: 2" in out
    (onsite_mail,) = mails_to(here.user.email)
    (remote_mail,) = mails_to(away.user.email)
    for message in (onsite_mail, remote_mail):
        assert message.subject == "Reminder: SWAN users' workshop, Wed 13 Mar 2030, 10:00–16:00 CDT"
        assert "Wed 13 Mar 2030, 10:00–16:00 CDT (America/Chicago)" in message.body
        assert "begins tomorrow, Wed 13 Mar 2030 at 10:00 CDT." in message.body
        assert "soon" not in message.body
    assert onsite_mail.body.startswith("Hello Ada Lovelace,")
    assert "show the attached QR code at the entrance" in onsite_mail.body
    assert here.check_in_code in onsite_mail.body
    assert [name for name, *_ in onsite_mail.attachments] == ["check-in-qr-code.png"]
    assert "meet.example.org" not in onsite_mail.body
    assert "Join remotely: https://meet.example.org/swan" in remote_mail.body
    assert "QR" not in remote_mail.body and not remote_mail.attachments
    html = remote_mail.alternatives[0][0]
    assert 'href="https://meet.example.org/swan"' in html


def test_someone_registered_after_a_reminders_time_gets_the_next_one_only(workshop, make_user):
    late = attend(workshop, make_user(), at=START - timedelta(hours=5))
    run(START - timedelta(hours=4))
    assert not mail.outbox  # the "1 day before" time passed before they registered
    run(START - timedelta(minutes=50))
    (message,) = mails_to(late.user.email)
    assert "begins today at 10:00 CDT" in message.body  # the "1 hour before" one


def test_each_event_sets_its_own_reminders(workshop, make_user, make_event):
    attend(workshop, make_user())
    ReminderPlan.objects.create(event=workshop, minutes_before=[10080])
    silent = make_event(start=START, end=START + timedelta(hours=1))
    RegistrationSettings.objects.create(event=silent, opens_at=START - timedelta(days=60))
    attend(silent, make_user())
    ReminderPlan.objects.create(event=silent, minutes_before=[])

    for days in (7, 1):
        run(START - timedelta(days=days, minutes=-1))
    run(START - timedelta(minutes=30))

    (message,) = mail.outbox
    assert "begins in 7 days, on " in message.body, message.body


def test_a_cancelled_event_sends_no_reminders(workshop, make_user):
    attend(workshop, make_user())
    workshop.status = workshop.Status.CANCELLED
    workshop.save()
    run(START - timedelta(minutes=30))
    assert not mail.outbox


def test_a_mail_that_fails_is_tried_again_at_the_next_run(workshop, make_user, monkeypatch):
    attend(workshop, make_user())
    sent = reminders.EventMail.send

    def broken(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(reminders.EventMail, "send", broken)
    with pytest.raises(CommandError, match="could not be sent"):
        run(START - timedelta(minutes=50))
    assert not SentReminder.objects.exists()  # the claim was given back
    monkeypatch.setattr(reminders.EventMail, "send", sent)
    run(START - timedelta(minutes=45))
    assert len(mail.outbox) == 1


def test_dry_run_lists_and_sends_nothing(workshop, make_user):
    attend(workshop, make_user(email="grace@example.org"))
    out = StringIO()
    at = (START - timedelta(minutes=50)).isoformat()
    call_command("send_reminders", "--dry-run", f"--now={at}", stdout=out)
    assert "1 hour before: SWAN users' workshop" in out.getvalue()
    assert "grace@example.org" in out.getvalue()
    assert not mail.outbox and not SentReminder.objects.exists()


@pytest.mark.parametrize("value", ["yesterday", "2030-03-13T10:00"])
def test_a_bad_now_is_a_clear_error(value):
    with pytest.raises(CommandError, match="--now"):
        call_command("send_reminders", f"--now={value}")


# Series: followers are reminded before each meeting.


@pytest.fixture
def wp2(wp2_series):
    wp2_series.online_url = "https://meet.example.org/wp2"
    wp2_series.save()
    return wp2_series


ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
MEETING = datetime(2030, 3, 13, 14, 0, tzinfo=ZURICH)  # 2nd Wednesday of March 2030
NEXT_MEETING = datetime(2030, 3, 27, 14, 0, tzinfo=ZURICH)


def test_followers_are_reminded_before_each_meeting_with_the_join_link(wp2, make_user):
    follower = make_user()
    SeriesFollower.objects.create(series=wp2, user=follower)
    SeriesFollower.objects.filter(user=follower).update(created_at=MEETING - timedelta(days=30))
    for moment in (MEETING - timedelta(hours=23), MEETING - timedelta(minutes=55)) * 2:
        run(moment)
    messages = mails_to(follower.email)
    assert len(messages) == 2
    assert "Wed 13 Mar 2030, 14:00–15:30 CET (Europe/Zurich)" in messages[0].body
    assert "Join remotely: https://meet.example.org/wp2" in messages[0].body
    assert "You follow ESCAPE WP2 fortnightly meeting" in messages[0].body
    assert not messages[0].attachments

    cancel_occurrence(series=wp2, recurrence_id=NEXT_MEETING)
    run(NEXT_MEETING - timedelta(minutes=55))
    assert len(mails_to(follower.email)) == 2  # a cancelled meeting reminds nobody


def test_a_follower_registered_for_an_opened_meeting_gets_one_reminder(wp2, make_user):
    person = make_user()
    SeriesFollower.objects.create(series=wp2, user=person)
    SeriesFollower.objects.filter(user=person).update(created_at=MEETING - timedelta(days=30))
    meeting = materialise_occurrence(series=wp2, recurrence_id=MEETING)
    RegistrationSettings.objects.create(event=meeting, opens_at=MEETING - timedelta(days=60))
    Registration.objects.create(event=meeting, user=person, mode="onsite", status="confirmed")
    Registration.objects.filter(user=person).update(status_changed_at=MEETING - timedelta(days=9))

    run(MEETING - timedelta(minutes=55))
    run(MEETING - timedelta(minutes=50))

    (message,) = mails_to(person.email)
    assert "show the attached QR code" in message.body  # the registrant's version: a ticket


def test_with_the_outbox_each_claimed_reminder_is_stored_for_its_event(
    workshop, make_user, settings
):
    """Production: the mail is stored in the claim's transaction, tagged with its event."""
    from escape_events.outbox.models import OutgoingMail

    settings.MAILERS = {
        "default": {"BACKEND": "escape_events.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    for _ in range(3):
        attend(workshop, make_user())
    run(START - timedelta(minutes=50))
    run(START - timedelta(minutes=45))
    stored = OutgoingMail.objects.all()
    assert stored.count() == SentReminder.objects.count() == 3
    assert {mail.event_id for mail in stored} == {workshop.pk}
    assert all(mail.subject.startswith("Reminder: SWAN users' workshop") for mail in stored)
