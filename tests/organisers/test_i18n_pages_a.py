"""The organiser's pages speak the reader's language: the dashboard, the event form and the event's
overview in French or German when the browser asks for it, and in English when it asks for nothing.

The French and German texts need the compiled catalogues (`compilemessages`, run by `make test`)."""

from django.urls import reverse


def test_the_dashboard_reads_in_english_when_the_browser_asks_for_nothing(client, organiser):
    client.force_login(organiser)
    page = client.get(reverse("organisers:dashboard")).content.decode()
    assert "<h1>Organise</h1>" in page
    assert "<h2>Upcoming events</h2>" in page
    assert "New meeting series" in page


def test_the_dashboard_in_french(client, organiser, hands_on):
    client.force_login(organiser)
    page = client.get(reverse("organisers:dashboard"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<h1>Organiser</h1>" in page
    assert "<h2>Événements à venir</h2>" in page
    assert "<h2>Événements passés</h2>" in page
    assert ">Nouvelle série de réunions</a>" in page
    assert '<th scope="col" class="num">Confirmées</th>' in page
    assert "Upcoming events" not in page


def test_the_new_event_form_in_french(client, organiser):
    client.force_login(organiser)
    page = client.get(
        reverse("organisers:event_create"), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "<h1>Nouvel événement</h1>" in page
    assert "<legend>Quand</legend>" in page
    assert "<legend>Inscription</legend>" in page
    assert "<legend>Questions posées à l'inscription</legend>" in page
    assert ">Créer l'événement</button>" in page


def test_the_event_form_of_an_event_in_french(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:event_edit", args=[hands_on.slug])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<h1>Modifier l'événement</h1>" in page
    assert ">Enregistrer les modifications</button>" in page
    # The tabs of the event, named in French too.
    assert ">Ordre du jour</a>" in page and ">Participants</a>" in page


def test_the_event_overview_in_german_counts_places_in_german(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:event_overview", args=[hands_on.slug])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Anmeldungen im Zeitverlauf" in page
    assert ">Übersicht</a>" in page
    # Two on-site seats, none taken yet: a plural in German.
    assert "2 Plätze frei" in page
