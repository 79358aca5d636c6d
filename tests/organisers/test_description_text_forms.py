"""The organiser's forms store the plain text of the description they write (see
tests/events/test_description_text.py for the services, seeds and feeds)."""

from django.urls import reverse

from escape_events.events.models import Event, Series
from tests.organisers.test_events import event_form
from tests.organisers.test_series_forms import form_data

MARKDOWN = "Bring a **laptop** and see [SWAN](https://swan.cern.ch)."
PLAIN = "Bring a laptop and see SWAN (https://swan.cern.ch)."


def test_the_event_forms_store_the_text(client, organiser):
    client.force_login(organiser)
    response = client.post(reverse("organisers:event_create"), event_form(description=MARKDOWN))
    assert response.status_code == 302
    event = Event.objects.get(title="Rucio coding camp 2031")
    assert event.description_text == PLAIN
    edited = event_form(description="*Edited* text.", status="scheduled")
    response = client.post(reverse("organisers:event_edit", args=[event.slug]), edited)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.description, event.description_text) == ("*Edited* text.", "Edited text.")


def test_the_series_forms_store_the_text(signed_in):
    signed_in.post(reverse("organisers:series_create"), form_data(description=MARKDOWN))
    series = Series.objects.get(title="Data-lake office hours")
    assert series.description_text == PLAIN
    signed_in.post(
        reverse("organisers:series_edit", args=[series.slug]),
        form_data(description="*Edited* text."),
    )
    series.refresh_from_db()
    assert series.description_text == "Edited text."
