"""Organisers' translations of titles on every public page, not only the event page: the home
page's series, "My registrations" and the registration's own page. Outside the original language
a list reads its translations in a fixed number of queries; in English it reads none."""

import html

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escape_events.events.models import EventTranslation, SeriesTranslation
from escape_events.registrations.models import Registration
from escape_events.registrations.services import register

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def _get(client, url, **headers) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return html.unescape(response.content.decode()), len(queries)


def test_the_home_page_lists_series_in_the_readers_language(client, wp2_series):
    SeriesTranslation.objects.create(series=wp2_series, language="fr", title="Réunion WP2")
    french, _ = _get(client, reverse("site:home"), **FRENCH)
    assert ">Réunion WP2</a>" in french
    english, _ = _get(client, reverse("site:home"))
    assert ">ESCAPE WP2 fortnightly meeting</a>" in english and "Réunion WP2" not in english


def test_my_registrations_shows_translated_titles_without_a_query_per_row(
    client, person, make_registrable, wp2_series
):
    def registered(number):
        event = make_registrable(onsite=10, event_fields={"title": f"Workshop {number}"})
        EventTranslation.objects.create(event=event, language="fr", title=f"Atelier {number}")
        register(event=event, user=person, mode=Registration.Mode.ONSITE)
        return event

    registered(1)
    registered(2)  # two at the same time: the page looks once for a clash
    SeriesTranslation.objects.create(series=wp2_series, language="fr", title="Réunion WP2")
    wp2_series.followers.create(user=person)
    url = reverse("site:mine")
    _get(client, url, **FRENCH)  # the first request of a session reads more
    _, few = _get(client, url, **FRENCH)
    for number in range(3, 6):
        registered(number)
    french, many = _get(client, url, **FRENCH)
    assert many == few
    assert "Atelier 5" in french and "Workshop 5" not in french
    assert ">Réunion WP2</a>" in french
    english, _ = _get(client, url)
    assert "Workshop 5" in english and "Atelier" not in english


def test_the_registration_page_names_the_event_in_the_readers_language(
    client, person, make_registrable
):
    event = make_registrable(onsite=10, event_fields={"title": "Workshop"})
    EventTranslation.objects.create(event=event, language="fr", title="Atelier")
    registration, _ = register(event=event, user=person, mode=Registration.Mode.ONSITE)
    url = reverse("site:edit_registration", args=[registration.pk])
    french, _ = _get(client, url, **FRENCH)
    assert ">Atelier</a>" in french
    english, _ = _get(client, url)
    assert ">Workshop</a>" in english
