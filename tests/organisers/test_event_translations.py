"""The organiser's translations page: title and description per language, for organisers only."""

import pytest
from django.urls import reverse

from escape_events.events.models import EventTranslation, SeriesTranslation

pytestmark = pytest.mark.django_db


def _post(**languages):
    data = {}
    for language in ("fr", "de", "it", "es"):
        title, description = languages.get(language, ("", ""))
        data[f"{language}-title"] = title
        data[f"{language}-description"] = description
    return data


def test_the_organiser_gives_a_french_title_and_readers_see_it(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:event_translations", kwargs={"slug": hands_on.slug})
    page = client.get(url).content.decode()
    assert 'name="fr-title"' in page and 'name="es-description"' in page
    response = client.post(url, _post(fr=("Atelier SWAN", "Apportez un portable.")))
    assert response.status_code == 302
    stored = EventTranslation.objects.get(event=hands_on)
    assert (stored.language, stored.title) == ("fr", "Atelier SWAN")
    client.logout()
    public = client.get(hands_on.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Atelier SWAN" in public


def test_a_description_without_a_title_is_refused(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:event_translations", kwargs={"slug": hands_on.slug})
    response = client.post(url, _post(de=("", "Bitte Laptop mitbringen.")))
    assert response.status_code == 400
    assert not EventTranslation.objects.exists()


def test_emptying_a_language_removes_its_translation(client, organiser, hands_on):
    EventTranslation.objects.create(event=hands_on, language="it", title="Workshop SWAN")
    client.force_login(organiser)
    url = reverse("organisers:event_translations", kwargs={"slug": hands_on.slug})
    assert 'value="Workshop SWAN"' in client.get(url).content.decode()
    client.post(url, _post())
    assert not EventTranslation.objects.exists()


def test_a_stranger_gets_404_and_changes_nothing(client, other_organiser, hands_on, wp2_series):
    client.force_login(other_organiser)
    event_url = reverse("organisers:event_translations", kwargs={"slug": hands_on.slug})
    series_url = reverse("organisers:series_translations", kwargs={"series_slug": wp2_series.slug})
    for url in (event_url, series_url):
        assert client.get(url).status_code == 404
        assert client.post(url, _post(fr=("Piraté", ""))).status_code == 404
    assert not EventTranslation.objects.exists() and not SeriesTranslation.objects.exists()


def test_series_organisers_translate_the_series(client, organiser, wp2_series):
    wp2_series.organisers.add(organiser)
    client.force_login(organiser)
    url = reverse("organisers:series_translations", kwargs={"series_slug": wp2_series.slug})
    client.post(url, _post(es=("Reunión WP2", "")))
    assert wp2_series.title_in("es") == "Reunión WP2"


def test_the_event_actions_link_to_the_page(client, organiser, hands_on):
    client.force_login(organiser)
    overview = client.get(reverse("organisers:event_overview", kwargs={"slug": hands_on.slug}))
    url = reverse("organisers:event_translations", kwargs={"slug": hands_on.slug})
    assert url in overview.content.decode()
