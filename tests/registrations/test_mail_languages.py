"""Mails are written in the recipient's language (`User.preferred_language`), whoever's action or
request queued them; what organisers write reaches everyone as they wrote it.

The tests marked "catalogue" assert translated text: they pass once the French and German
catalogues are compiled (`make test` compiles them)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from escape_events.accounts.services import privacy_notice_in_force
from escape_events.organisers import services as organiser_services
from escape_events.outbox.models import OutgoingMail
from escape_events.registrations import reminders, rules, services
from escape_events.registrations.models import Registration, RegistrationSettings
from tests.registrations.test_mails import delivered_to

pytestmark = pytest.mark.django_db


def part_of(message, content_type: str) -> str:
    return next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == content_type
    )


def test_a_mail_carries_the_recipients_language_whoever_queued_it(
    outbox, make_registrable, make_user
):
    event = make_registrable()
    french, english = make_user(language="fr"), make_user()
    with translation.override("en-gb"):  # an English request registers the French person
        services.register(event=event, user=french, mode=Registration.Mode.ONSITE)
    with translation.override("fr"):  # a French request registers the English one
        services.register(event=event, user=english, mode=Registration.Mode.ONSITE)
    (to_french,) = delivered_to(french)
    (to_english,) = delivered_to(english)
    assert '<html lang="fr">' in part_of(to_french, "text/html")
    assert '<html lang="en-gb">' in part_of(to_english, "text/html")
    assert to_english["Subject"] == f"Your registration for {event.title}"
    assert f"You are registered for {event.title}." in part_of(to_english, "text/plain")


def test_catalogue_a_confirmation_to_a_french_person_is_french_from_an_english_request(
    outbox, make_registrable, make_user
):
    event = make_registrable()
    person = make_user(language="fr", first_name="Marie", last_name="Curie")
    with translation.override("en-gb"):
        services.register(event=event, user=person, mode=Registration.Mode.ONSITE)
    stored = OutgoingMail.objects.get(recipients=[person.email])
    assert stored.subject == f"Votre inscription à {event.title}"  # the outbox row too
    (message,) = delivered_to(person)
    assert message["Subject"] == f"Votre inscription à {event.title}"
    text = part_of(message, "text/plain")
    assert text.startswith("Bonjour Marie Curie,")
    assert f"Vous êtes inscrit(e) à {event.title}." in text
    assert "Sur place · Confirmé" in text
    assert "registered" not in text


def test_catalogue_a_reminder_to_a_german_person_is_german(make_event, venue, make_user):
    start = timezone.now() + timedelta(hours=20)
    event = make_event(start=start, end=start + timedelta(hours=4), venue=venue)
    RegistrationSettings.objects.create(event=event, opens_at=start - timedelta(days=30))
    person = make_user(language="de", first_name="Lise", last_name="Meitner")
    registration = Registration.objects.create(
        event=event, user=person, mode="onsite", status="confirmed"
    )
    Registration.objects.filter(pk=registration.pk).update(
        status_changed_at=start - timedelta(days=10)
    )
    with translation.override("fr"):  # the command's language does not matter
        reminders.send_due_reminders(now=start - timedelta(hours=20))
    (message,) = [sent for sent in mail.outbox if sent.to == [person.email]]
    assert message.subject.startswith(f"Erinnerung: {event.title}, ")
    assert message.body.startswith("Guten Tag Lise Meitner,")
    assert "Ihr Ticket: Zeigen Sie den angehängten QR-Code am Eingang" in message.body
    assert '<html lang="de">' in message.alternatives[0][0]


def test_a_german_organisers_message_reaches_a_french_attendee_as_written(
    make_registrable, make_user
):
    event = make_registrable()
    organiser = make_user(language="de")
    attendee = make_user(language="fr")
    services.register(event=event, user=attendee, mode=Registration.Mode.ONSITE)
    mail.outbox.clear()
    body = "Liebe Teilnehmende,\n\nder Raum ändert sich: wir treffen uns im Hörsaal 2.\n"
    with translation.override("de"):
        organiser_services.queue_participant_message(
            event=event,
            sender=organiser,
            subject="Raumänderung",
            body=body,
            registrations=Registration.objects.filter(event=event),
            filters={},
        )
    (message,) = [sent for sent in mail.outbox if sent.to == [attendee.email]]
    assert message.subject == "Raumänderung"
    assert message.body.startswith(body.strip())


def test_catalogue_a_refusal_on_the_registration_form_is_french(client, person, make_registrable):
    event = make_registrable()
    settings = event.registration_settings
    settings.opens_at = timezone.now() - timedelta(days=3)
    settings.closes_at = timezone.now() - timedelta(seconds=1)
    settings.save()
    notice = privacy_notice_in_force()
    response = client.post(
        reverse("site:register", args=[event.slug]),
        {
            "attend": "onsite",
            "accept_privacy_notice": "on",
            "privacy_notice_version": notice.version,
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 409
    assert "Les inscriptions sont closes." in response.content.decode()


def test_catalogue_a_refusal_is_in_the_active_language_english_by_default(
    client, person, make_registrable
):
    event = make_registrable()
    settings = event.registration_settings
    settings.opens_at = timezone.now() - timedelta(days=3)
    settings.closes_at = timezone.now() - timedelta(seconds=1)
    settings.save()
    refusal = rules.refusal_reason(event=event, settings=settings, user=person)
    assert refusal.message == "Registration is closed."
    with translation.override("it"):
        refusal = rules.refusal_reason(event=event, settings=settings, user=person)
    assert refusal.message == "Le iscrizioni sono chiuse."  # catalogue


def test_catalogue_a_change_is_kept_in_english_and_mailed_in_the_persons_language(
    make_registrable, make_user
):
    event = make_registrable(onsite=5, remote=None)
    person = make_user(language="fr")
    registration, _ = services.register(event=event, user=person, mode=Registration.Mode.ONSITE)
    mail.outbox.clear()
    with translation.override("de"):  # whoever acts, in whatever language
        services.switch_mode(registration=registration, mode=Registration.Mode.REMOTE, by=person)
    change = registration.changes.get()
    assert change.changes == [{"field": "Attendance", "before": "On-site", "after": "Remote"}]
    (message,) = mail.outbox
    assert message.subject == f"Votre inscription à {event.title} a été modifiée"
    assert "Participation: Sur place → À distance" in message.body


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en-gb", "1 day before and 1 hour before"),
        ("fr", "1 jour avant et 1 heure avant"),
        ("de", "1 Tag vorher und 1 Stunde vorher"),
        ("it", "1 giorno prima e 1 ora prima"),
        ("es", "1 día antes y 1 hora antes"),
    ],
)
def test_catalogue_a_reminder_plan_is_said_in_each_language(language, said):
    with translation.override(language):
        assert reminders.describe_minutes([60, 1440]) == said
