"""Organiser pages f–z and the PDF printouts speak the reader's language.

The French texts asserted here come from the translation catalogues, so these tests need the
compiled catalogues (`compilemessages`); without them the pages fall back to English.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from escape_events.registrations.models import Registration

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def test_the_participants_page_reads_in_french(client, organiser, hands_on, register):
    register(hands_on)
    register(hands_on, mode=Registration.Mode.REMOTE)
    client.force_login(organiser)

    page = client.get(reverse("organisers:participants", args=[hands_on.slug]), **FRENCH)

    text = page.content.decode()
    assert page.status_code == 200
    assert "2 inscriptions correspondent." in text
    assert "<strong>Exporter ces 2 inscriptions</strong> (CSV, Excel, JSON)" in text
    assert "Écrire à ces 2 personnes…" in text
    assert "Avec les personnes cochées\u00a0:" in text
    assert "registrations match" not in text and "With the ticked people" not in text


def test_the_message_form_and_its_preview_read_in_french(client, organiser, hands_on, register):
    register(hands_on)
    register(hands_on)
    client.force_login(organiser)
    url = reverse("organisers:message_compose", args=[hands_on.slug]) + "?status=confirmed"

    form = client.get(url, **FRENCH).content.decode()
    preview = client.post(
        url,
        {"subject": "Salle", "body": "Salle 4-3-006.", "preview": "", "audiences": ["onsite"]},
        **FRENCH,
    ).content.decode()

    assert "<h1>Écrire aux participants</h1>" in form
    assert "À <strong>2</strong> personnes choisies dans la liste des participants." in form
    assert "Chacune reçoit son propre courriel\u00a0; les réponses vous parviennent." in form
    assert "<strong>Objet\u00a0:</strong> " in preview
    assert "Envoyer à 2 personnes" in preview
    assert "Write to participants" not in form and "Send to 2 people" not in preview


def test_the_participants_page_stays_english_by_default(client, organiser, hands_on, register):
    register(hands_on)
    client.force_login(organiser)

    text = client.get(reverse("organisers:participants", args=[hands_on.slug])).content.decode()

    assert "1 registration matches." in text
    assert "<strong>Export this 1</strong> (CSV, Excel, JSON)" in text


def list_html(event):
    return render_to_string(
        "organisers/printouts/participant_list.html",
        {"event": event, "people": [], "when": "", "printed_at": timezone.now()},
    )


def test_the_participant_list_pdf_footer_is_a_css_string_in_the_readers_language(hands_on):
    english = list_html(hands_on)
    with translation.override("de"):
        german = list_html(hands_on)

    assert 'content: "Page " counter(page) " of " counter(pages) "";' in english
    assert 'content: string(event) " · participant list";' in english
    assert '<html lang="en-gb">' in english
    assert 'content: "Seite " counter(page) " von " counter(pages) "";' in german
    assert 'content: string(event) " · Teilnehmerliste";' in german
    assert '<html lang="de">' in german and "Noch niemand ist bestätigt." in german
