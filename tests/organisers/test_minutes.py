"""The organiser's minutes pages: write per item, a lost update refused, history, restore."""

from datetime import timedelta

import pytest
from django.urls import reverse

from escape_events.timetable import services as agenda_services
from escape_events.timetable.minutes import save_minutes
from escape_events.timetable.models import Minutes, MinutesRevision


@pytest.fixture
def item(hands_on):
    return agenda_services.add_entry(
        event=hands_on,
        values={
            "start": hands_on.start,
            "end": hands_on.start + timedelta(hours=1),
            "title": "SWAN",
        },
    )


def edit_url(event, entry=None):
    if entry is None:
        return reverse("organisers:minutes_meeting", args=[event.slug])
    return reverse("organisers:minutes_entry", args=[event.slug, entry.pk])


def test_the_overview_lists_the_meeting_and_each_item(client, organiser, hands_on, item):
    save_minutes(event=hands_on, entry=item, text="Two words", base_revision=0, by=organiser)
    client.force_login(organiser)
    page = client.get(reverse("organisers:minutes", args=[hands_on.slug])).content.decode()
    assert "The whole meeting" in page and "None yet" in page
    assert "2 words, revision 1" in page
    assert f'href="{edit_url(hands_on, item)}"' in page


def test_minutes_of_an_item_are_saved_and_shown_under_it(client, organiser, hands_on, item):
    client.force_login(organiser)
    response = client.post(
        edit_url(hands_on, item), {"text": "- SWAN accounts", "base_revision": "0"}, follow=True
    )
    assert "Minutes saved (revision 1)" in response.content.decode()
    assert MinutesRevision.objects.get().author == organiser
    public = client.get(hands_on.get_absolute_url()).content.decode()
    assert "<li>SWAN accounts</li>" in public
    again = client.post(edit_url(hands_on, item), {"text": "- SWAN accounts", "base_revision": 1})
    assert again.status_code == 302 and MinutesRevision.objects.count() == 1


def test_a_lost_update_is_refused_with_both_texts_and_can_then_be_saved(
    client, organiser, make_person, hands_on
):
    other = make_person(first_name="Grace", last_name="Hopper", email="grace@example.org")
    hands_on.organisers.add(other)
    save_minutes(event=hands_on, text="Start", base_revision=0, by=organiser)
    save_minutes(event=hands_on, text="Grace's <b>line</b>", base_revision=1, by=other)
    client.force_login(organiser)
    response = client.post(edit_url(hands_on), {"text": "Olga's line", "base_revision": "1"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Grace Hopper saved these minutes (revision 2)" in page
    assert "Olga&#x27;s line</textarea>" in page  # the text typed is not lost
    assert "Grace&#x27;s &lt;b&gt;line&lt;/b&gt;" in page  # the diff is escaped
    assert 'name="base_revision" value="2"' in page
    assert Minutes.objects.get().text == "Grace's <b>line</b>"
    client.post(edit_url(hands_on), {"text": "Merged", "base_revision": "2"})
    assert Minutes.objects.get().text == "Merged"


def test_bad_input_is_a_400_with_a_message(client, organiser, hands_on):
    client.force_login(organiser)
    response = client.post(edit_url(hands_on), {"text": "x" * 200_001, "base_revision": "0"})
    assert response.status_code == 400
    assert "at most 200000 characters" in response.content.decode()
    assert client.post(edit_url(hands_on), {"text": "x"}).status_code == 400
    assert not Minutes.objects.exists()


def test_history_shows_each_revision_its_diff_escaped_and_restores(
    client, organiser, hands_on, item
):
    for number, text in enumerate(["One <script>", "Two"]):
        save_minutes(event=hands_on, entry=item, text=text, base_revision=number, by=organiser)
    client.force_login(organiser)
    history = edit_url(hands_on, item) + "history/"
    page = client.get(history, {"revision": 2}).content.decode()
    assert "What revision 2 changed" in page and "Olga Organiser" in page
    assert "<del>One &lt;script&gt;</del>" in page and "<ins>Two</ins>" in page
    assert client.get(history, {"revision": 9}).status_code == 404
    assert client.get(history, {"revision": "x"}).status_code == 404
    response = client.post(f"{history}1/restore/", {"base_revision": "2"}, follow=True)
    assert "Revision 1 is back, as revision 3" in response.content.decode()
    assert Minutes.objects.get().text == "One <script>"
    stale = client.post(f"{history}2/restore/", {"base_revision": "2"}, follow=True)
    assert "Nothing was restored" in stale.content.decode()
    assert Minutes.objects.get().revision == 3


def test_an_item_of_another_event_is_404(client, organiser, hands_on, make_event):
    other = make_event(title="Elsewhere")
    foreign = agenda_services.add_entry(
        event=other, values={"start": other.start, "end": other.end, "title": "Theirs"}
    )
    client.force_login(organiser)
    url = reverse("organisers:minutes_entry", args=[hands_on.slug, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "x", "base_revision": "0"}).status_code == 404
