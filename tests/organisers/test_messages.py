"""Writing to filtered participants: preview, background sending, log, limits."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from escape_events.events.models import Attachment
from escape_events.organisers import services
from escape_events.organisers.models import MESSAGE_BODY_MAX, ParticipantMessage
from escape_events.outbox.models import OutgoingMail
from escape_events.outbox.services import deliver_due
from escape_events.registrations.models import Registration
from escape_events.timetable.models import Entry, Speaker


@pytest.fixture
def attendees(hands_on, register):
    return [
        register(hands_on),
        register(hands_on, mode=Registration.Mode.REMOTE),
        register(hands_on, status=Registration.Status.WAITING),
    ]


# The old "everyone": every audience ticked (the form asks; the waiting list is no default).
EVERYONE = {"audiences": ["onsite", "remote", "waiting", "pending"]}


def compose_url(event):
    return reverse("organisers:message_compose", args=[event.slug])


def test_preview_shows_the_mail_and_sends_nothing(
    client, organiser, hands_on, attendees, mailoutbox
):
    client.force_login(organiser)
    response = client.post(
        compose_url(hands_on) + "?status=confirmed",
        {"subject": "Room change", "body": "We moved to 4-3-006.", "preview": "", **EVERYONE},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "We moved to 4-3-006." in page and "You receive this because you registered" in page
    assert "Send to 2 people" in page
    assert mailoutbox == [] and not ParticipantMessage.objects.exists()


def test_sending_mails_each_filtered_person_separately_and_logs_it(
    client, organiser, hands_on, attendees, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            compose_url(hands_on) + "?status=confirmed",
            {"subject": "Bring a laptop", "body": "See you.", "send": "", **EVERYONE},
        )
    assert response.status_code == 302
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        registration.user.email for registration in attendees[:2]
    )
    assert all(len(mail.to) == 1 and mail.reply_to == [organiser.email] for mail in mailoutbox)
    message = ParticipantMessage.objects.get()
    assert (message.status, message.recipient_count, message.sent_count) == ("sent", 2, 2)
    assert message.filters == {"status": "confirmed", "audiences": "onsite,remote,waiting,pending"}
    log = client.get(reverse("organisers:messages", args=[hands_on.slug])).content.decode()
    assert "Bring a laptop" in log and "2 / 2" in log


def test_bulk_message_goes_to_the_ticked_people_only(
    client, organiser, hands_on, attendees, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:participant_bulk", args=[hands_on.slug]),
        {"action": "message", "selected": [attendees[2].pk]},
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            response["Location"], {"subject": "You wait", "body": "Sorry.", "send": "", **EVERYONE}
        )
    assert [mail.to for mail in mailoutbox] == [[attendees[2].user.email]]


def test_oversized_message_is_refused_and_nothing_is_sent(
    client, organiser, hands_on, attendees, mailoutbox
):
    client.force_login(organiser)
    response = client.post(
        compose_url(hands_on),
        {"subject": "S" * 300, "body": "x" * (MESSAGE_BODY_MAX + 1), "send": "", **EVERYONE},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "at most 200 characters" in page and f"at most {MESSAGE_BODY_MAX:,}" in page
    assert mailoutbox == [] and not ParticipantMessage.objects.exists()


def test_too_many_recipients_are_refused(client, organiser, hands_on, attendees, monkeypatch):
    monkeypatch.setattr(services, "MESSAGE_RECIPIENTS_MAX", 2)
    client.force_login(organiser)
    response = client.post(
        compose_url(hands_on), {"subject": "Hi", "body": "All", "send": "", **EVERYONE}
    )
    assert response.status_code == 400
    assert "one message goes to at most 2" in response.content.decode()
    assert not ParticipantMessage.objects.exists()


@pytest.mark.parametrize("ids", ["1,abc", "999999", "9" * 400, "-1", "1.5"])
def test_tampered_recipient_ids_are_refused(client, organiser, hands_on, attendees, ids):
    client.force_login(organiser)
    response = client.get(compose_url(hands_on), {"ids": ids}, follow=True)
    assert "selected" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"/events/{hands_on.slug}/participants/")


def test_an_empty_selection_is_explained(client, organiser, hands_on):
    client.force_login(organiser)
    response = client.post(
        compose_url(hands_on) + "?status=confirmed",
        {"subject": "Hi", "body": "x", "send": "", **EVERYONE},
    )
    assert response.status_code == 400
    assert "No participant matches this filter." in response.content.decode()


def test_a_person_who_cancelled_and_registered_again_gets_the_message_once(
    client, organiser, hands_on, register, make_person, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    again = make_person()
    register(hands_on, person=again, status=Registration.Status.CANCELLED)
    register(hands_on, person=again)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            compose_url(hands_on), {"subject": "Hi", "body": "Once.", "send": "", **EVERYONE}
        )
    assert [mail.to for mail in mailoutbox] == [[again.email]]
    assert ParticipantMessage.objects.get().recipient_count == 1


def test_cancelled_and_declined_people_are_written_to_only_when_asked(
    client, organiser, hands_on, register, mailoutbox, django_capture_on_commit_callbacks
):
    Status = Registration.Status
    present = register(hands_on)
    gone = register(hands_on, status=Status.CANCELLED)
    declined = register(hands_on, status=Status.REJECTED)
    client.force_login(organiser)
    page = client.get(compose_url(hands_on))
    assert page.context["recipient_count"] == 1
    assert "2 people who cancelled or were declined" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(compose_url(hands_on), {"subject": "Hi", "body": "x", "send": "", **EVERYONE})
    assert [mail.to for mail in mailoutbox] == [[present.user.email]]
    mailoutbox.clear()
    # Asked by the filter...
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            compose_url(hands_on) + "?status=cancelled",
            {"subject": "Hi", "body": "x", "send": "", **EVERYONE},
        )
    assert [mail.to for mail in mailoutbox] == [[gone.user.email]]
    mailoutbox.clear()
    # ... or by ticking "also write to them".
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            compose_url(hands_on),
            {"subject": "Hi", "body": "x", "include_inactive": "on", "send": "", **EVERYONE},
        )
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        r.user.email for r in (present, gone, declined)
    )


@pytest.mark.parametrize("character", ["\u2028", "\u0085", "\x0b", "\x0c", "\x1b", "\t", "\u202e"])
def test_a_subject_with_a_control_character_is_refused(
    client, organiser, hands_on, attendees, mailoutbox, character
):
    client.force_login(organiser)
    response = client.post(
        compose_url(hands_on),
        {"subject": f"Room{character}change", "body": "x", "send": "", **EVERYONE},
    )
    assert response.status_code == 400
    assert "Keep this on one line, without tabs or control characters" in response.content.decode()
    assert not ParticipantMessage.objects.exists() and mailoutbox == []


def test_the_service_refuses_a_control_character_too(organiser, hands_on, attendees):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="one line"):
        services.queue_participant_message(
            event=hands_on,
            sender=organiser,
            subject="Room\u2028change",
            body="x",
            registrations=Registration.objects.filter(event=hands_on),
            filters={},
        )


def test_a_failed_delivery_shows_in_the_log(
    client, organiser, hands_on, attendees, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(compose_url(hands_on), {"subject": "Hi", "body": "x", "send": "", **EVERYONE})
    message = ParticipantMessage.objects.get()
    assert (message.status, message.sent_count) == (ParticipantMessage.Status.FAILED, 0)
    log = client.get(reverse("organisers:messages", args=[hands_on.slug])).content.decode()
    assert "Failed" in log and "mail server down" in log


def test_by_default_a_message_goes_to_the_confirmed_and_not_the_waiting_list(
    client, organiser, hands_on, attendees, mailoutbox
):
    client.force_login(organiser)
    page = client.get(compose_url(hands_on)).content.decode()
    assert "To <strong>2</strong>" in page
    for key, checked in (("onsite", True), ("remote", True), ("waiting", False)):
        tag = page.split(f'value="{key}"')[1].split(">")[0]
        assert ("checked" in tag) is checked, key
    client.post(
        compose_url(hands_on),
        {"subject": "Hi", "body": "x", "audiences": ["onsite", "remote"], "send": ""},
    )
    waiting = attendees[2].user.email
    assert waiting not in [address for message in mailoutbox for address in message.to]
    assert len(mailoutbox) == 2


def test_the_speakers_audience_reaches_the_confirmed_people_the_agenda_names(
    client, organiser, hands_on, attendees, mailoutbox
):
    _onsite, remote, waiting = attendees
    entry = Entry.objects.create(
        event=hands_on, title="Rucio in ten minutes", start=hands_on.start, end=hands_on.end
    )
    Speaker.objects.create(entry=entry, name="Remo", user=remote.user)
    Speaker.objects.create(entry=entry, name="Wai", user=waiting.user)  # waits: not confirmed
    Speaker.objects.create(entry=entry, name="Guest without an account")
    client.force_login(organiser)
    response = client.post(
        compose_url(hands_on), {"subject": "Slides", "body": "x", "audiences": ["speakers"]}
    )
    assert "To <strong>1</strong>" in response.content.decode()
    client.post(
        compose_url(hands_on),
        {"subject": "Slides", "body": "x", "audiences": ["speakers"], "send": ""},
    )
    assert [message.to for message in mailoutbox] == [[remote.user.email]]


def test_no_audience_ticked_is_refused(client, organiser, hands_on, attendees, mailoutbox):
    client.force_login(organiser)
    response = client.post(compose_url(hands_on), {"subject": "Hi", "body": "x", "send": ""})
    assert response.status_code == 400
    assert "Choose whom to write to." in response.content.decode()
    assert not mailoutbox and not ParticipantMessage.objects.exists()


def test_placeholders_are_filled_per_person_and_previewed_per_audience(
    client, organiser, hands_on, register, make_person, mailoutbox
):
    hands_on.online_url = "https://meet.example.org/swan"
    hands_on.save()
    ada = register(hands_on, person=make_person(first_name="Ada", last_name="Lovelace"))
    remo = register(
        hands_on,
        mode=Registration.Mode.REMOTE,
        person=make_person(first_name="<Remo>", last_name="Te"),
    )
    client.force_login(organiser)
    body = "Dear {first_name},\nsee you at {event}. {{braces}} stay."
    preview = client.post(
        compose_url(hands_on),
        {"subject": "{event}: news", "body": body, "audiences": ["onsite", "remote"],
         "preview": ""},
    ).content.decode()  # fmt: skip
    assert "<h3>Confirmed, on-site: as they read it</h3>" in preview
    assert "<h3>Confirmed, remote: as they read it</h3>" in preview
    assert "Dear Ada,\nsee you at SWAN hands-on. {braces} stay." in preview
    assert "Dear &lt;Remo&gt;," in preview and "<Remo>" not in preview  # escaped
    assert "<strong>Subject:</strong> SWAN hands-on: news" in preview

    client.post(
        compose_url(hands_on),
        {"subject": "{event}: news", "body": body, "audiences": ["onsite", "remote"], "send": ""},
    )
    bodies = {message.to[0]: message for message in mailoutbox}
    assert bodies[ada.user.email].body.startswith("Dear Ada,\nsee you at SWAN hands-on.")
    assert bodies[remo.user.email].body.startswith("Dear <Remo>,")
    assert bodies[ada.user.email].subject == "SWAN hands-on: news"


@pytest.mark.parametrize(
    ("body", "audiences", "error"),
    [
        ("Hi {name}", ["onsite"], "Unknown placeholder {name}"),
        ("Hi {first_name.__class__}", ["onsite"], "Unknown placeholder {first_name.__class__}"),
        ("Hi {first_name!r}", ["onsite"], "Unknown placeholder"),
        ("A lone { brace", ["onsite"], "A lone “{”"),
        ("Join: {join_link}", ["onsite", "remote"], "{join_link} goes only to people attending"),
        ("Join: {join_link}", ["remote", "waiting"], "{join_link} goes only to people attending"),
        ("Code: {ticket}", ["onsite", "remote"], "{ticket} goes only to confirmed on-site"),
    ],
)
def test_unknown_or_misdirected_placeholders_are_refused(
    client, organiser, hands_on, attendees, mailoutbox, body, audiences, error
):
    hands_on.online_url = "https://meet.example.org/swan"
    hands_on.save()
    client.force_login(organiser)
    response = client.post(
        compose_url(hands_on),
        {"subject": "Hi", "body": body, "audiences": audiences, "send": ""},
    )
    assert response.status_code == 400
    assert error in response.content.decode().replace("&quot;", '"')
    assert not mailoutbox and not ParticipantMessage.objects.exists()


def test_the_join_link_and_the_ticket_reach_their_own_audience(
    client, organiser, hands_on, attendees, mailoutbox
):
    hands_on.online_url = "https://meet.example.org/swan"
    hands_on.save()
    client.force_login(organiser)
    client.post(
        compose_url(hands_on),
        {"subject": "Link", "body": "Join: {join_link}", "audiences": ["remote"], "send": ""},
    )
    client.post(
        compose_url(hands_on),
        {"subject": "Door", "body": "Code: {ticket}", "audiences": ["onsite"], "send": ""},
    )
    onsite, remote = attendees[0], attendees[1]
    (link,) = [message for message in mailoutbox if message.subject == "Link"]
    (door,) = [message for message in mailoutbox if message.subject == "Door"]
    assert link.to == [remote.user.email]
    assert link.body.startswith("Join: https://meet.example.org/swan")
    assert door.to == [onsite.user.email]
    assert door.body.startswith(f"Code: {onsite.check_in_code}")


def test_the_service_refuses_an_unknown_placeholder_too(organiser, hands_on, attendees):
    with pytest.raises(ValidationError, match="Unknown placeholder"):
        services.queue_participant_message(
            event=hands_on,
            sender=organiser,
            subject="Hi",
            body="{nope}",
            registrations=Registration.objects.filter(event=hands_on),
            filters={},
        )


@pytest.fixture
def outbox_mailer(settings):
    """MAILERS as in production: mails wait in the outbox for the worker."""
    settings.MAILERS = {
        "default": {"BACKEND": "escape_events.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


def test_a_scheduled_message_waits_in_the_outbox_until_its_time(
    client, organiser, hands_on, attendees, outbox_mailer, mailoutbox
):
    client.force_login(organiser)
    at = (timezone.now() + timedelta(days=2)).astimezone(hands_on.zone).replace(second=0)
    response = client.post(
        compose_url(hands_on),
        {"subject": "Tomorrow", "body": "Dear {first_name}", "audiences": ["onsite", "remote"],
         "send_at": at.strftime("%Y-%m-%dT%H:%M"), "send": ""},
        follow=True,
    )  # fmt: skip
    assert "people will go out on" in response.content.decode()
    message = ParticipantMessage.objects.get()
    assert message.send_at == at.replace(microsecond=0)
    mails = OutgoingMail.objects.all()
    assert len(mails) == 2 and {mail.next_attempt_at for mail in mails} == {message.send_at}

    assert deliver_due() == 0 and not mailoutbox  # not yet
    with time_machine.travel(message.send_at + timedelta(minutes=1)):
        assert deliver_due() == 2
    assert sorted(sent.to[0] for sent in mailoutbox) == sorted(
        registration.user.email for registration in attendees[:2]
    )


@pytest.mark.parametrize(
    ("shift", "error"),
    [
        (timedelta(hours=-1), "The time to send is in the past"),
        (timedelta(days=400), "at most a year ahead"),
    ],
)
def test_a_send_time_in_the_past_or_too_far_ahead_is_refused(
    client, organiser, hands_on, attendees, outbox_mailer, shift, error
):
    client.force_login(organiser)
    at = (timezone.now() + shift).astimezone(hands_on.zone)
    response = client.post(
        compose_url(hands_on),
        {"subject": "Hi", "body": "x", "audiences": ["onsite"],
         "send_at": at.strftime("%Y-%m-%dT%H:%M"), "send": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not ParticipantMessage.objects.exists() and not OutgoingMail.objects.exists()


def test_scheduling_without_the_outbox_is_refused_rather_than_sent_at_once(
    client, organiser, hands_on, attendees, mailoutbox
):
    client.force_login(organiser)
    at = timezone.now().astimezone(hands_on.zone) + timedelta(days=1)
    response = client.post(
        compose_url(hands_on),
        {"subject": "Hi", "body": "x", "audiences": ["onsite"],
         "send_at": at.strftime("%Y-%m-%dT%H:%M"), "send": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Scheduled sending needs the mail outbox" in response.content.decode()
    assert not mailoutbox


@pytest.fixture
def event_file(hands_on, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = b"%PDF-1.4 programme"
    return Attachment.objects.create(
        event=hands_on,
        title="Programme",
        file=SimpleUploadedFile("programme.pdf", pdf),
        content_type="application/pdf",
        size=len(pdf),
    )


def test_files_of_the_event_go_with_every_mail_and_show_in_the_log(
    client, organiser, hands_on, attendees, event_file, mailoutbox
):
    client.force_login(organiser)
    client.post(
        compose_url(hands_on),
        {"subject": "Programme", "body": "Attached.", "audiences": ["onsite", "remote"],
         "attachments": [event_file.pk], "send": ""},
    )  # fmt: skip
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert message.attachments == [("programme.pdf", b"%PDF-1.4 programme", "application/pdf")]
    log = client.get(reverse("organisers:messages", args=[hands_on.slug])).content.decode()
    assert "Attached: programme.pdf" in log


def test_a_file_of_another_event_cannot_be_attached(
    client, organiser, hands_on, attendees, event_file, make_event, mailoutbox
):
    other = make_event(title="Other")
    stranger = Attachment.objects.create(
        event=other, title="Secret", file=event_file.file.name,
        content_type="application/pdf", size=10,
    )  # fmt: skip
    client.force_login(organiser)
    response = client.post(
        compose_url(hands_on),
        {"subject": "Hi", "body": "x", "audiences": ["onsite"], "attachments": [stranger.pk],
         "send": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Choose files of this event." in response.content.decode()
    assert not mailoutbox and not ParticipantMessage.objects.exists()
    with pytest.raises(ValidationError, match="does not belong to this event"):
        services.queue_participant_message(
            event=hands_on, sender=organiser, subject="Hi", body="x",
            registrations=Registration.objects.filter(event=hands_on), filters={},
            attachments=[stranger],
        )  # fmt: skip


@pytest.mark.parametrize(
    ("size", "error"),
    [(6 * 1024 * 1024, "a message carries at most 5.0"), (600 * 1024, "more than the mail queue")],
)
def test_attachments_too_large_for_a_mail_or_for_the_queue_are_refused(
    client, organiser, hands_on, event_file, register, monkeypatch, mailoutbox, size, error
):
    for _ in range(3):
        register(hands_on)
    monkeypatch.setattr(services, "MESSAGE_ATTACHMENTS_VOLUME_MAX", 1024 * 1024)
    Attachment.objects.filter(pk=event_file.pk).update(size=size)
    client.force_login(organiser)
    response = client.post(
        compose_url(hands_on),
        {"subject": "Hi", "body": "x", "audiences": ["onsite"],
         "attachments": [event_file.pk], "send": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert error in response.content.decode().replace("\xa0", " ")
    assert not mailoutbox
