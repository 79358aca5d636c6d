"""Feeds in a language: the personal feed in its owner's, public feeds in the one the client's
Accept-Language asks for (never the language cookie), each language kept apart.

Tests marked `needs_catalogues` read the French and German texts of the compiled catalogues
(locale/, built by `make messages`); the others hold without them."""

import pytest
from django.conf import settings
from django.urls import reverse

from escape_events.feeds.services import issue_feed_token
from escape_events.registrations.models import Registration

pytestmark = pytest.mark.django_db


def _personal(client, user, **headers):
    token = issue_feed_token(user=user)
    return client.get(reverse("feeds:personal", kwargs={"token": token}), **headers)


def test_the_personal_feed_says_its_language_whoever_asks(client, world):
    user = world["user"]
    user.language = "de"
    user.save(update_fields=["language"])
    response = _personal(client, user, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response["Content-Language"] == "de"


def test_a_person_without_a_language_gets_the_default(client, world):
    response = _personal(client, world["user"], HTTP_ACCEPT_LANGUAGE="it")
    assert response["Content-Language"] == settings.LANGUAGE_CODE
    assert "X-WR-CALNAME:My ESCAPE events" in response.content.decode()


def test_the_personal_feed_is_written_in_the_owners_language(client, world, register):
    """Needs the catalogues: calendar name and the note of the registration in German."""
    user = world["user"]
    user.language = "de"
    user.save(update_fields=["language"])
    register(world["upcoming"], user, status=Registration.Status.WAITING)
    body = _personal(client, user, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    unfolded = body.replace("\r\n ", "")
    assert "X-WR-CALNAME:Meine ESCAPE-Veranstaltungen" in unfolded
    assert "Sie stehen auf der Warteliste" in unfolded


def test_a_public_feed_follows_accept_language_and_keeps_languages_apart(client, world):
    url = reverse("feeds:all")
    english = client.get(url)
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9, en;q=0.5")
    assert english["Content-Language"] == settings.LANGUAGE_CODE
    assert french["Content-Language"] == "fr"
    assert english["ETag"] != french["ETag"]
    assert "Accept-Language" in french["Vary"]
    # A client holding the English body is not told that it holds the French one.
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="fr", HTTP_IF_NONE_MATCH=english["ETag"])
    assert again.status_code == 200
    assert client.get(url).content == english.content


def test_a_language_the_site_does_not_speak_falls_back_to_the_default(client, world):
    response = client.get(reverse("feeds:all"), HTTP_ACCEPT_LANGUAGE="nl, pt;q=0.8")
    assert response["Content-Language"] == settings.LANGUAGE_CODE


def test_the_language_cookie_does_not_change_a_public_feed(client, world):
    """Shared caches vary public feeds on Accept-Language alone (the cookie is dropped)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("feeds:all"))
    assert response["Content-Language"] == settings.LANGUAGE_CODE
    assert "X-WR-CALNAME:ESCAPE events" in response.content.decode()


def test_a_public_feed_in_french(client, world):
    """Needs the catalogues."""
    body = client.get(reverse("feeds:all"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "X-WR-CALNAME:Événements ESCAPE" in body.replace("\r\n ", "")
