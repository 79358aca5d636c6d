"""The event page's cached blocks are kept per content version: every change to what they show,
whoever makes it, shows on the next load."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from escape_events.events.models import Event, MeetingAttendance, Series
from escape_events.events.services import (
    add_attachment,
    cancel_event,
    materialise_occurrence,
    remove_attachment,
    update_event,
    update_series,
)
from escape_events.site import caching
from escape_events.timetable import services as timetable
from escape_events.timetable.minutes import save_minutes

from ..organisers.test_events import event_form
from ..test_admin import _change_in_admin
from .cached import cached_parts


def _html(client, event) -> str:
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def lecture(make_event, venue):
    return make_event(title="Lecture", summary="Old summary", venue=venue)


@pytest.fixture
def kept(lecture):
    """Whether the lecture's page blocks are in the cache for the content version now."""
    return lambda: set(cached_parts(lecture)) == {"event_page_top", "event_page_bottom"}


def test_a_second_load_comes_from_the_cache(client, lecture, kept, django_assert_num_queries):
    _html(client, lecture)
    assert kept()
    # The event with its content version and registration settings (none): nothing the cached
    # blocks show is read again.
    with django_assert_num_queries(1):
        assert "Old summary" in _html(client, lecture)


def test_without_a_version_change_the_cache_would_show_the_old_page(client, lecture, monkeypatch):
    """The control: with a version that never changes, an edit is not seen (so the tests below
    can fail)."""
    monkeypatch.setattr(caching, "event_page_version", lambda event: "fixed")
    _html(client, lecture)
    update_event(event=lecture, values={"summary": "New summary"})
    assert "Old summary" in _html(client, lecture)


def test_an_edit_of_another_event_keeps_this_page(client, lecture, kept, make_event):
    """Each event's page is keyed on its own version: another event's agenda edit leaves it."""
    other = make_event(title="Other")
    _html(client, lecture)
    timetable.add_entry(
        event=other,
        values={"start": other.start, "end": other.start + timedelta(minutes=20), "title": "Hi"},
        speakers=[],
    )
    assert kept()
    update_event(event=lecture, values={"summary": "New summary"})
    assert not kept()


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda e: update_event(event=e, values={"summary": "New summary"}), "New summary"),
        (lambda e: update_event(event=e, values={"description": "**Bring tea**"}), "Bring tea"),
        (lambda e: Event.objects.filter(pk=e.pk).update(title="Raw title"), "Raw title"),
        (lambda e: e.venue.__class__.objects.update(name="Fermilab"), "Fermilab"),
        (lambda e: cancel_event(event=e), "This event has been cancelled."),
        (
            lambda e: save_minutes(event=e, text="We agreed on tea.", base_revision=0, by=None),
            "We agreed on tea.",
        ),
        (lambda e: MeetingAttendance.objects.create(event=e, name="Ada Lovelace"), "Ada Lovelace"),
        (
            lambda e: add_attachment(
                event=e,
                uploaded_file=SimpleUploadedFile("notes.txt", b"notes"),
                title="Speaker notes",
                kind="other",
            ),
            "Speaker notes",
        ),
    ],
    ids=["service", "description", "raw-update", "venue", "cancelled", "minutes", "present",
         "attachment"],
)  # fmt: skip
def test_every_change_of_the_event_shows_on_the_next_load(client, lecture, kept, change, shown):
    assert shown not in _html(client, lecture)
    assert kept()
    change(lecture)
    assert shown in _html(client, lecture)


def test_a_removed_attachment_goes_from_the_page(client, lecture):
    file = add_attachment(
        event=lecture,
        uploaded_file=SimpleUploadedFile("notes.txt", b"notes"),
        title="Speaker notes",
        kind="other",
    )
    assert "Speaker notes" in _html(client, lecture)
    remove_attachment(attachment=file)
    assert "Speaker notes" not in _html(client, lecture)


def test_a_partner_renamed_shows_on_the_page_of_the_event_it_is_held_alongside(
    client, lecture, make_event
):
    partner = make_event(title="Rucio coding camp")
    lecture.colocated_with.add(partner)
    assert "Rucio coding camp" in _html(client, lecture)
    update_event(event=partner, values={"title": "Rucio hackathon"})
    html = _html(client, lecture)
    assert "Rucio hackathon" in html and "Rucio coding camp" not in html


def test_agenda_changes_show_on_the_next_load(client, lecture, give_agenda):
    assert "Talk 1" not in _html(client, lecture)
    entry, *_ = give_agenda(lecture, count=2)
    assert "Talk 1" in _html(client, lecture)
    timetable.update_entry(entry=entry, values={"title": "Opening talk"})
    assert "Opening talk" in _html(client, lecture)
    timetable.add_material_link(entry=entry, url="https://example.org/slides", title="The slides")
    assert "The slides" in _html(client, lecture)
    timetable.remove_entry(entry=entry)
    assert "Opening talk" not in _html(client, lecture)


def test_a_series_change_shows_on_its_meetings_pages(client, wp2_series):
    meeting = materialise_occurrence(series=wp2_series, recurrence_id=wp2_series.first_start)
    assert "Part of ESCAPE WP2 fortnightly meeting" in _html(client, meeting)
    update_series(series=wp2_series, values={"title": "WP2 weekly"})
    assert "Part of WP2 weekly" in _html(client, meeting)
    Series.objects.filter(pk=wp2_series.pk).update(title="WP2 by raw SQL")
    assert "Part of WP2 by raw SQL" in _html(client, meeting)


def test_an_edit_in_the_organisers_form_shows_on_the_next_load(client, lecture, django_user_model):
    organiser = django_user_model.objects.create_user("olga", "olga@example.org")
    lecture.organisers.add(organiser)
    client.force_login(organiser)
    assert "Hands-on parts" not in _html(client, lecture)
    start = lecture.local_start
    data = event_form(
        title="Lecture",
        start=start.strftime("%Y-%m-%dT%H:%M"),
        end=(start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        status="scheduled",
        **{"reg-registration_required": None, "questions-TOTAL_FORMS": "0"},
    )
    response = client.post(reverse("organisers:event_edit", args=[lecture.slug]), data)
    assert response.status_code == 302, response.content.decode()
    assert "Hands-on parts are hard to follow remotely." in _html(client, lecture)


def test_cancelling_in_the_organisers_side_shows_on_the_next_load(
    client, lecture, django_user_model
):
    organiser = django_user_model.objects.create_user("olga", "olga@example.org")
    lecture.organisers.add(organiser)
    client.force_login(organiser)
    assert "This event has been cancelled." not in _html(client, lecture)
    client.post(reverse("organisers:event_cancel", args=[lecture.slug]), {"confirm": "on"})
    assert Event.objects.get(pk=lecture.pk).is_cancelled
    assert "This event has been cancelled." in _html(client, lecture)


def test_an_edit_in_the_admin_shows_on_the_next_load(admin_client, lecture):
    assert "Admin summary" not in _html(admin_client, lecture)
    response = _change_in_admin(admin_client, lecture, summary="Admin summary")
    assert response.status_code == 302
    assert "Admin summary" in _html(admin_client, lecture)


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_shows_on_the_next_load(client, lecture):
    """With real commits, as in production (on PostgreSQL the version changes at commit)."""
    assert "New summary" not in _html(client, lecture)
    update_event(event=lecture, values={"summary": "New summary"})
    assert "New summary" in _html(client, lecture)
