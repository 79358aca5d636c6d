"""Every organiser page that shows mail text escapes what organisers typed into it.

The reminder previews once printed the text mail (a safe string from `render_to_string`) as
markup: a `<meta http-equiv="refresh">` in a venue name sent every co-organiser elsewhere.
"""

import pytest
from django.urls import reverse

from escape_events.events.models import Venue
from escape_events.registrations.models import Registration, SeriesFollower

META = '<meta http-equiv="refresh" content="0;url=https://evil.example/phish">'
BOLD = "<b>bold</b>"


def hostile(name: str) -> str:
    return f"{name} {BOLD} {META}"


def assert_escaped(page: str) -> None:
    assert "<meta http-equiv" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in page or "&lt;meta http-equiv=" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


@pytest.fixture
def hostile_event(hands_on, register, organiser):
    hands_on.title = hostile("Title")[:200]
    hands_on.summary = hostile("Summary")
    hands_on.description = hostile("Description")
    hands_on.remote_note = hostile("Note")[:200]
    hands_on.online_url = "https://meet.example.org/swan"
    hands_on.venue = Venue.objects.create(
        name=hostile("Venue"), room=hostile("Room"), address=hostile("Address")
    )
    hands_on.save()
    organiser.first_name = hostile("Olga")[:150]
    organiser.save()
    register(hands_on, person=organiser)
    register(hands_on, mode=Registration.Mode.REMOTE)
    return hands_on


def test_event_reminder_previews_escape_every_organiser_field(client, organiser, hostile_event):
    client.force_login(organiser)
    page = client.get(reverse("organisers:reminders", args=[hostile_event.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert_escaped(text)
    # Each field reached the preview (escaped), so the test would see it unescaped.
    for name in ("Title", "Venue", "Room", "Note", "Olga"):
        assert f"{name} &lt;b&gt;bold&lt;/b&gt;" in text, name


def test_series_reminder_preview_escapes_every_organiser_field(
    client, organiser, wp2_series, make_person
):
    wp2_series.title = hostile("Series")
    wp2_series.remote_note = hostile("Note")[:200]
    wp2_series.online_url = "https://meet.example.org/wp2"
    wp2_series.venue = Venue.objects.create(name=hostile("Venue"))
    wp2_series.save()
    wp2_series.organisers.add(organiser)
    SeriesFollower.objects.create(series=wp2_series, user=make_person())
    client.force_login(organiser)
    text = client.get(reverse("organisers:series_reminders", args=[wp2_series.slug]))
    text = text.content.decode()
    assert_escaped(text)
    for name in ("Series", "Venue", "Note"):
        assert f"{name} &lt;b&gt;bold&lt;/b&gt;" in text, name


def test_message_preview_and_log_escape_the_organisers_text(client, organiser, hostile_event):
    client.force_login(organiser)
    url = reverse("organisers:message_compose", args=[hostile_event.slug]) + "?status=confirmed"
    form = {
        "subject": hostile("Subject"),
        "body": hostile("Body"),
        "audiences": ["onsite", "remote"],
    }
    preview = client.post(url, {**form, "preview": ""}).content.decode()
    assert_escaped(preview)
    assert "Body &lt;b&gt;bold&lt;/b&gt;" in preview
    assert client.post(url, {**form, "send": ""}).status_code == 302
    log = client.get(reverse("organisers:messages", args=[hostile_event.slug])).content.decode()
    assert_escaped(log)
    assert "Body &lt;b&gt;bold&lt;/b&gt;" in log


def test_a_rendered_text_mail_is_plain_text_not_markup(hostile_event, organiser):
    """The class behind the hole: a text mail is a plain `str`, so any page escapes it."""
    from escape_events.registrations.reminders import Reminder, reminder_message

    registration = Registration.objects.get(event=hostile_event, user=organiser)
    body = reminder_message(Reminder(organiser, hostile_event, 60, registration)).body
    assert type(body) is str
    assert META in body  # the mail itself is text: it keeps the organiser's words as typed
