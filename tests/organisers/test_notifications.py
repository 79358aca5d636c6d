"""Organisers hear what happens at their events, as they chose, once per happening and
recipient, through the outbox (tested with the outbox on, as in production)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from escape_events.organisers.models import Happening, NotificationSettings, OrganiserNotice
from escape_events.organisers.notifications import (
    notify_registration,
    save_notification_settings,
    send_digests,
)
from escape_events.outbox import services as outbox
from escape_events.outbox.models import OutgoingMail
from escape_events.registrations import services
from escape_events.registrations.models import Registration

Mode = Registration.Mode


@pytest.fixture
def in_outbox(settings):
    """MAILERS as in production: every mail goes into the outbox; delivery to locmem."""
    settings.MAILERS = {
        "default": {"BACKEND": "escape_events.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


class Delivered:
    """A delivered mail as its recipient reads it: subject and plain text."""

    def __init__(self, sent):
        message = sent.message()
        self.subject = message["Subject"]
        self.body = next(
            part.get_payload(decode=True).decode()
            for part in message.walk()
            if part.get_content_type() == "text/plain"
        )


def delivered_to(address: str) -> list[Delivered]:
    outbox.deliver_due()
    return [Delivered(sent) for sent in mail.outbox if sent.to == [address]]


def tell(event, **values):
    defaults = {
        "all_organisers": True,
        "extra_addresses": [],
        "happenings": list(Happening.values),
        "frequency": NotificationSettings.Frequency.IMMEDIATELY,
    }
    return save_notification_settings(event=event, values={**defaults, **values})


@pytest.fixture
def open_event(hands_on, make_person):
    """The hands-on, with registrants whose addresses are confirmed."""
    from allauth.account.models import EmailAddress

    def person():
        someone = make_person()
        EmailAddress.objects.create(user=someone, email=someone.email, verified=True, primary=True)
        return someone

    return hands_on, person


def test_each_organiser_and_extra_address_gets_one_mail_per_registration(
    in_outbox, open_event, organiser
):
    event, person = open_event
    tell(event, extra_addresses=["secretariat@example.org"])
    ada = person()
    services.register(event=event, user=ada, mode=Mode.ONSITE)
    (to_olga,) = delivered_to(organiser.email)
    (to_secretariat,) = delivered_to("secretariat@example.org")
    assert to_olga.subject == f"New registration: {event.display_title}"
    assert f"{ada.display_name} registered (on-site, confirmed)." in to_olga.body
    assert reverse("organisers:participants", args=[event.slug]) in to_olga.body
    assert to_secretariat.body == to_olga.body.replace(organiser.email, "secretariat@example.org")


def test_a_repeated_report_of_the_same_happening_mails_nobody_twice(
    in_outbox, open_event, organiser
):
    event, person = open_event
    tell(event)
    registration, _ = services.register(event=event, user=person(), mode=Mode.ONSITE)
    assert notify_registration(registration=registration, happening="registered") == 0
    assert len(delivered_to(organiser.email)) == 1
    assert OrganiserNotice.objects.count() == 1


def test_waiting_list_promotion_and_cancellation_are_told_as_chosen(
    in_outbox, open_event, organiser
):
    event, person = open_event
    tell(event, happenings=["waiting", "promoted", "cancelled"])
    first, second = person(), person()
    holder, _ = services.register(event=event, user=person(), mode=Mode.ONSITE)
    services.register(event=event, user=first, mode=Mode.ONSITE)  # the last seat
    services.register(event=event, user=second, mode=Mode.ONSITE)  # waits
    services.cancel_registration(registration=holder, by=holder.user)  # second moves up
    subjects = [sent.subject.split(":")[0] for sent in delivered_to(organiser.email)]
    assert subjects == [
        "Someone joins a waiting list",
        "Cancellation",
        "Promotion from the waiting list",
    ]


def test_nobody_is_told_without_settings_or_about_unchosen_happenings(
    in_outbox, open_event, organiser
):
    event, person = open_event
    services.register(event=event, user=person(), mode=Mode.ONSITE)
    tell(event, happenings=["cancelled"])
    services.register(event=event, user=person(), mode=Mode.ONSITE)
    assert delivered_to(organiser.email) == []


def test_only_the_chosen_organisers_are_told(in_outbox, open_event, organiser, make_person):
    event, person = open_event
    colleague = make_person(email="colleague@example.org")
    event.organisers.add(colleague)
    tell(event, all_organisers=False, chosen_organisers=[colleague])
    services.register(event=event, user=person(), mode=Mode.ONSITE)
    assert delivered_to(organiser.email) == []
    assert len(delivered_to("colleague@example.org")) == 1


def test_a_daily_digest_gathers_the_happenings_and_sends_each_once(
    in_outbox, open_event, organiser
):
    event, person = open_event
    tell(event, frequency=NotificationSettings.Frequency.DAILY)
    ada, bob = person(), person()
    services.register(event=event, user=ada, mode=Mode.ONSITE)
    services.register(event=event, user=bob, mode=Mode.REMOTE)
    assert delivered_to(organiser.email) == []
    call_command("send_organiser_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert send_digests() == 0  # a second run finds nothing left to send
    (digest,) = delivered_to(organiser.email)
    assert digest.subject == "What happened at your events (2)"
    assert f"{ada.display_name} registered" in digest.body
    assert f"{bob.display_name} registered (remote" in digest.body


def test_an_undelivered_mail_is_told_but_never_a_failed_notice(
    in_outbox, open_event, organiser, settings, django_capture_on_commit_callbacks
):
    event, _ = open_event
    tell(event, happenings=["undelivered"])
    settings.OUTBOX_MAX_ATTEMPTS = 1
    stale = timezone.now() - timedelta(minutes=1)
    OutgoingMail.objects.create(
        key="lost", event=event, from_email="events@example.org", recipients=["ada@example.org"],
        subject="Your registration", message=b"x", status=OutgoingMail.Status.SENDING,
        attempts=1, lease_expires_at=stale,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.claim_due_mail() is None  # gives the lost mail up: nothing else was due
    notice = OrganiserNotice.objects.get()
    assert notice.happening == "undelivered" and notice.sent_at is not None
    assert 'The mail "Your registration" to ada@example.org could not be delivered' in notice.text
    # The notice itself fails too: it is not reported again.
    OutgoingMail.objects.exclude(key="lost").update(
        status=OutgoingMail.Status.SENDING, attempts=1, lease_expires_at=stale
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.claim_due_mail() is None
    assert OrganiserNotice.objects.count() == 1


def test_the_notifications_page_validates_and_saves(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:notifications", args=[hands_on.slug])
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {"enabled": "on", "all_organisers": "yes", "extra_addresses": "not-an-address",
         "happenings": ["registered"], "frequency": "immediately"},
    )  # fmt: skip
    assert bad.status_code == 400 and "Not an e-mail address" in bad.content.decode()
    nobody = client.post(
        url,
        {"enabled": "on", "all_organisers": "no", "happenings": [], "frequency": "daily"},
    )
    page = nobody.content.decode()
    assert "Tick at least one happening." in page and "Tick an organiser" in page
    good = client.post(
        url,
        {"enabled": "on", "all_organisers": "yes", "extra_addresses": "team@example.org\n",
         "happenings": ["registered", "imported"], "frequency": "daily"},
    )  # fmt: skip
    assert good.status_code == 302
    stored = NotificationSettings.objects.get(event=hands_on)
    assert stored.extra_addresses == ["team@example.org"]
    assert stored.happenings == ["registered", "imported"] and stored.frequency == "daily"
    client.post(url, {"all_organisers": "yes", "frequency": "daily"})
    assert not NotificationSettings.objects.exists()


def test_notices_told_long_ago_are_forgotten_by_the_digest_job(in_outbox, open_event, organiser):
    from escape_events.organisers.notifications import prune_notices

    event, person = open_event
    tell(event)
    services.register(event=event, user=person(), mode=Mode.ONSITE)
    assert prune_notices() == 0
    assert prune_notices(now=timezone.now() + timedelta(days=31)) == 1
    assert not OrganiserNotice.objects.exists()
