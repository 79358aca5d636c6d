"""The public pages in the reader's language (Accept-Language here), and the event page's cached
blocks kept per language: a French reader never gets the English blocks, nor the reverse.

Tests that assert French words read the compiled catalogues (locale/, `make messages`); the
cache-key tests hold without them."""

import html

from django.urls import reverse
from django.utils import translation

from escape_events.registrations.models import Registration
from escape_events.registrations.services import register

from .cached import cached_parts

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def _page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_event_page_is_cached_once_per_language(client, make_event):
    event = make_event(title="Lecture")
    _page(client, event.get_absolute_url(), **FRENCH)
    with translation.override("fr"):
        assert set(cached_parts(event)) == {"event_page_top", "event_page_bottom"}
    with translation.override("en-gb"):
        assert cached_parts(event) == {}
    _page(client, event.get_absolute_url())
    with translation.override("en-gb"):
        english = cached_parts(event)
    with translation.override("fr"):
        french = cached_parts(event)
    assert set(english) == {"event_page_top", "event_page_bottom"}
    assert english["event_page_top"] != french["event_page_top"]


def test_french_and_english_renders_of_a_cached_page_stay_apart(client, make_event, venue):
    """Needs the catalogues."""
    event = make_event(title="Lecture", venue=venue)
    french = _page(client, event.get_absolute_url(), **FRENCH)
    english = _page(client, event.get_absolute_url())
    again = _page(client, event.get_absolute_url(), **FRENCH)
    assert "<dt>Quand</dt>" in french and "<dt>Quand</dt>" in again
    assert "<dt>When</dt>" in english and "Quand" not in english
    assert "<dt>When</dt>" not in again


def test_the_event_page_and_its_registration_form_in_french(client, person, make_registrable):
    """Needs the catalogues."""
    event = make_registrable(onsite=10)
    page = _page(client, event.get_absolute_url(), **FRENCH)
    assert "<dt>Quand</dt>" in page
    assert ">Inscription</h2>" in page
    assert "Clôture des inscriptions" in page
    assert "J'ai lu la politique de confidentialité" in page
    assert ">S'inscrire</button>" in page
    assert "10 places restantes sur 10" in page


def test_registering_in_french_says_so_in_french(client, person, make_registrable):
    """Needs the catalogues: the message after registering is in the reader's language."""
    from escape_events.accounts.services import privacy_notice_in_force

    event = make_registrable(onsite=10)
    data = {
        "attend": "onsite",
        "accept_privacy_notice": "on",
        "privacy_notice_version": privacy_notice_in_force().version,
    }
    response = client.post(reverse("site:register", args=[event.slug]), data, follow=True, **FRENCH)
    text = html.unescape(response.content.decode())
    assert "Une confirmation est en route." in text
    assert "Vous êtes inscrit" in text


def test_my_registrations_in_french(client, person, make_registrable):
    """Needs the catalogues."""
    assert "Vous ne vous êtes encore inscrit à rien." in _page(
        client, reverse("site:mine"), **FRENCH
    )
    event = make_registrable(onsite=10)
    register(event=event, user=person, mode=Registration.Mode.ONSITE)
    page = _page(client, reverse("site:mine"), **FRENCH)
    assert "<h1>Mes inscriptions</h1>" in page
    assert "Présentez ce code QR à l'entrée." in page
    assert "Annuler…" in page


def test_names_in_a_sentence_are_listed_in_the_page_language():
    from escape_events.events.when import list_text as spoken_list
    from escape_events.site.wording import in_sentence

    with translation.override("fr"):
        assert spoken_list(["A", "B", "C"]) == "A, B et C"
    with translation.override("de"):
        assert spoken_list(["A", "B"]) == "A und B"
        assert in_sentence("Vor Ort") == "vor Ort"
    with translation.override("en-gb"):
        assert spoken_list(["A", "B", "C"]) == "A, B and C"
