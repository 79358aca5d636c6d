"""What the organisers' side writes for a person is in that person's language: badges and
certificates in the attendee's, notices in the organiser's, exports in the language the
organiser reads the site in; what the organisers wrote themselves goes as written.

The tests after "Translated text" assert translated words: they need the compiled catalogues
(`compilemessages`, done by `make test`)."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from pypdf import PdfReader

from escape_events.organisers.notifications import languages_of
from escape_events.organisers.printouts import PRINTOUTS
from escape_events.organisers.printouts.badges import badge_pages, design_for
from escape_events.organisers.printouts.jobs import fingerprint
from escape_events.registrations import services
from escape_events.registrations.models import AttendanceDay, Registration

Mode = Registration.Mode


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def camp(make_event, organiser):
    """A three-day all-day camp that ended yesterday, in January (a month every language
    spells differently)."""
    start = datetime(2026, 1, 12, tzinfo=timezone.get_current_timezone())
    event = make_event(
        title="ESCAPE school", slug="school", start=start, end=start + timedelta(days=3),
        all_day=True,
    )  # fmt: skip
    event.organisers.add(organiser)
    return event


def present(registration, day):
    AttendanceDay.objects.create(
        registration=registration, day=day, source=AttendanceDay.Source.ORGANISER
    )


@pytest.fixture
def messages_to(hands_on, register, make_person):
    """A confirmed on-site attendee who reads French."""
    person = make_person(first_name="Fanny", last_name="Français", language="fr")
    return register(hands_on, person=person)


# Behaviour that holds with or without catalogues.


def test_each_badge_is_worded_in_its_wearers_language(hands_on, register, make_person):
    german = register(hands_on, person=make_person(language="de"))
    english = register(hands_on, person=make_person())
    design = design_for(hands_on)
    with translation.override("fr"):  # the organiser reads French
        (page,) = badge_pages(hands_on, design, [german, english])
    with translation.override("de"):
        in_german = translation.pgettext("badge role", "On-site")
    with translation.override("en-gb"):
        in_english = translation.pgettext("badge role", "On-site")
    assert [badge.role.text.text for badge in page.badges] == [in_german, in_english]


def test_a_certificate_is_dated_in_its_holders_language(client, camp, register, make_person):
    person = make_person(first_name="Fanny", last_name="Français", language="fr")
    registration = register(camp, person=person)
    present(registration, camp.local_start.date())
    client.force_login(person)
    text = pdf_text(client.get(reverse("site:my_certificate", args=[registration.pk])).content)
    with translation.override("fr"):  # Django's own catalogue names the months
        issued = date_format(timezone.localdate(), "j F Y")
    assert "Fanny Français" in text
    assert f"{issued}" in text  # e.g. "Issued 7 décembre 2026."


def test_a_message_written_in_german_reaches_a_french_attendee_word_for_word(
    client, organiser, hands_on, messages_to, mailoutbox, django_capture_on_commit_callbacks
):
    body = "Bitte bringen Sie Ihren Laptop mit, {first_name}. Wir sehen uns im Raum 4-3-006."
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisers:message_compose", args=[hands_on.slug]),
            {"subject": "Laptop mitbringen", "body": body, "send": "", "audiences": ["onsite"]},
        )
    assert response.status_code == 302
    (sent,) = mailoutbox
    assert sent.subject == "Laptop mitbringen"
    assert sent.body.startswith(
        "Bitte bringen Sie Ihren Laptop mit, Fanny. Wir sehen uns im Raum 4-3-006.\n\n-- \n"
    )


def test_a_notice_goes_to_each_address_in_its_accounts_language(make_person):
    make_person(email="Deutsch@example.org", language="de")
    make_person(email="plain@example.org")
    found = languages_of(["deutsch@example.org", "plain@example.org", "team@example.org"])
    assert found == {
        "deutsch@example.org": "de",
        "plain@example.org": "en-gb",
        "team@example.org": "en-gb",
    }


def test_a_print_job_is_made_again_when_an_attendee_changes_language(
    hands_on, register, make_person
):
    person = make_person()
    people = [register(hands_on, person=person)]
    badges = PRINTOUTS["badges"]
    before = fingerprint(badges, hands_on, people)
    person.language = "it"
    person.save(update_fields=["language"])
    assert fingerprint(badges, hands_on, people) != before


def test_a_list_printout_is_a_new_job_in_another_organisers_language(hands_on, register):
    people = [register(hands_on)]
    sheet = PRINTOUTS["sign-in-sheet"]
    with translation.override("en-gb"):
        english = fingerprint(sheet, hands_on, people)
    with translation.override("es"):
        spanish = fingerprint(sheet, hands_on, people)
    assert english != spanish


# Translated text: these need the compiled catalogues.


def test_a_badge_for_a_german_attendee_has_german_labels(
    client, organiser, hands_on, register, make_person
):
    register(hands_on, person=make_person(first_name="Dieter", last_name="Deutsch", language="de"))
    register(hands_on, person=make_person(first_name="Emma", last_name="English"))
    client.force_login(organiser)
    response = client.get(reverse("organisers:printout", args=[hands_on.slug, "badges"]))
    text = pdf_text(response.content)
    assert "VOR ORT" in text  # the band is in capitals
    assert "ON-SITE" in text  # the English attendee's badge, in the same PDF


def test_a_certificate_for_a_french_attendee_is_french(client, camp, register, make_person):
    person = make_person(first_name="Fanny", last_name="Français", language="fr")
    registration = register(camp, person=person)
    present(registration, camp.local_start.date())
    client.force_login(person)
    text = pdf_text(client.get(reverse("site:my_certificate", args=[registration.pk])).content)
    assert "Attestation de participation" in text
    assert "1 jour sur 3" in text  # the attendance, not "on 1 of the 3 days"
    assert "Certificate of attendance" not in text


def test_the_lines_around_an_organisers_message_are_in_the_attendees_language(
    client, organiser, hands_on, messages_to, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("organisers:message_compose", args=[hands_on.slug]),
            {"subject": "Laptop", "body": "Bitte Laptop mitbringen.", "send": "",
             "audiences": ["onsite"]},
        )  # fmt: skip
    (sent,) = mailoutbox
    assert sent.body.startswith("Bitte Laptop mitbringen.\n\n-- \n")
    assert "Vous recevez ce message parce que vous êtes inscrit à SWAN hands-on" in sent.body
    assert "Les organisateurs de SWAN hands-on" in sent.body


def test_export_headers_are_in_the_organisers_language(client, organiser, hands_on, register):
    register(hands_on)
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:participant_export", args=[hands_on.slug]),
        {"format": "csv", "columns": ["first_name", "last_name", "email", "registered_at"]},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(content)))
    assert header == ["Prénom", "Nom de famille", "E-mail", f"Inscrit le ({hands_on.time_zone})"]


def test_an_organiser_reading_german_is_told_in_german(settings, organiser, hands_on, make_person):
    from allauth.account.models import EmailAddress

    from escape_events.organisers.models import Happening
    from escape_events.organisers.notifications import save_notification_settings

    settings.MAILERS = {
        "default": {"BACKEND": "escape_events.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    organiser.language = "de"
    organiser.save(update_fields=["language"])
    save_notification_settings(
        event=hands_on,
        values={"all_organisers": True, "extra_addresses": [], "frequency": "immediately",
                "happenings": list(Happening.values)},
    )  # fmt: skip
    ada = make_person(first_name="Ada", last_name="Lovelace")
    EmailAddress.objects.create(user=ada, email=ada.email, verified=True, primary=True)
    services.register(event=hands_on, user=ada, mode=Mode.ONSITE)
    from django.core import mail

    from escape_events.outbox import services as outbox

    outbox.deliver_due()
    (told,) = [sent.message() for sent in mail.outbox if sent.to == [organiser.email]]
    text = next(
        part.get_payload(decode=True).decode()
        for part in told.walk()
        if part.get_content_type() == "text/plain"
    )
    assert told["Subject"] == f"Neue Anmeldung: {hands_on.display_title}"
    assert "Ada Lovelace hat sich angemeldet" in text
