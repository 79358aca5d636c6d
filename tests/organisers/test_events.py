"""Creating, editing, repeating and cancelling events from the organiser's side."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from escape_events.events.models import Event, Venue
from escape_events.events.services import update_event
from escape_events.events.signals import event_changed
from escape_events.registrations.models import Question, RegistrationSettings

from ..conftest import ZURICH


def event_form(**changes):
    data = {
        "title": "Rucio coding camp 2031",
        "kind": "coding_camp",
        "time_zone": "Europe/Zurich",
        "start": "2031-10-14T09:00",
        "end": "2031-10-16T17:00",
        "new_venue_name": "CERN",
        "new_venue_room": "IT Amphitheatre",
        "online_url": "https://meet.example.org/rucio",
        "remote_note": "Hands-on parts are hard to follow remotely.",
        "is_listed": "on",
        "reg-registration_required": "on",
        "reg-opens_at": "2031-09-01T09:00",
        "reg-allow_onsite": "on",
        "reg-onsite_capacity": "30",
        "reg-allow_remote": "on",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-label": "Experiment",
        "questions-0-kind": "single_choice",
        "questions-0-choices_text": "ATLAS\nCMS\nLHCb",
        "questions-0-position": "1",
        "questions-0-required": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def announcements():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    event_changed.connect(receiver, dispatch_uid="test-announcements")
    yield received
    event_changed.disconnect(dispatch_uid="test-announcements")


def test_organiser_creates_an_event_with_registration_and_a_question(client, organiser):
    client.force_login(organiser)
    response = client.post(reverse("organisers:event_create"), event_form())
    event = Event.objects.get(title="Rucio coding camp 2031")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisers:event_overview", args=[event.slug])
    assert event.slug == "rucio-coding-camp-2031"  # the year in the title is not repeated
    assert event.start == datetime(2031, 10, 14, 9, 0, tzinfo=ZURICH)  # read in the event's zone
    assert event.venue.room == "IT Amphitheatre"
    assert list(event.organisers.all()) == [organiser]
    settings = RegistrationSettings.objects.get(event=event)
    assert settings.onsite_capacity == 30 and settings.remote_capacity is None
    assert settings.opens_at == datetime(2031, 9, 1, 9, 0, tzinfo=ZURICH)
    question = Question.objects.get(event=event)
    assert question.choices == ["ATLAS", "CMS", "LHCb"] and question.required


def test_times_follow_the_chosen_time_zone(client, organiser):
    client.force_login(organiser)
    client.post(
        reverse("organisers:event_create"),
        event_form(time_zone="America/Chicago", **{"reg-registration_required": None}),
    )
    event = Event.objects.get()
    assert event.start.astimezone(event.zone).hour == 9
    assert event.start == datetime(2031, 10, 14, 14, 0, tzinfo=ZURICH.__class__("UTC"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "2031-10-13T09:00"}, "The end must be after the start."),
        ({"start": "14/10/2031 nine-ish"}, "Enter a date and time"),
        ({"time_zone": "Mars/Olympus_Mons"}, "Select a valid choice"),
        ({"reg-opens_at": ""}, "Say when registration opens."),
        ({"reg-allow_onsite": None, "reg-allow_remote": None}, "Offer on-site or remote"),
        ({"questions-0-choices_text": "only one"}, "Give at least two options"),
        ({"reg-onsite_capacity": "-3"}, "greater than or equal to 0"),
        ({"end": "9999-12-31T23:00", "all_day": "on"}, "Enter a year between"),
        ({"reg-closes_at": "0001-01-01T00:00"}, "Enter a year between"),
        ({"title": "SWAN\r\nBcc: everyone@example.org"}, "Keep this on one line"),
    ],
)
def test_bad_event_input_is_refused_with_a_message(client, organiser, changes, message):
    client.force_login(organiser)
    response = client.post(reverse("organisers:event_create"), event_form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_moving_an_event_bumps_sequence_and_tells_registrants_after_commit(
    client, organiser, hands_on, announcements, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    new_start = hands_on.local_start + timedelta(days=1)
    post = event_form(
        title=hands_on.title,
        start=new_start.strftime("%Y-%m-%dT%H:%M"),
        end=(new_start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        status="scheduled",
        new_venue_name=None,
        new_venue_room=None,
        **{"reg-opens_at": "2020-01-01T09:00"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisers:event_edit", args=[hands_on.slug]), post)
    assert response.status_code == 302
    hands_on.refresh_from_db()
    assert hands_on.sequence == 1
    assert hands_on.local_start == new_start
    assert len(announcements) == 1
    assert set(announcements[0]["changed"]) == {"start", "end", "online_url"}
    assert announcements[0]["cancelled"] is False


def test_a_change_calendars_ignore_keeps_sequence_and_sends_nothing(
    hands_on, announcements, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changed = update_event(event=hands_on, values={"summary": "Bring a laptop"})
    hands_on.refresh_from_db()
    assert changed == [] and hands_on.sequence == 0 and announcements == []


def test_changing_the_venue_counts_as_a_calendar_change(hands_on, venue):
    assert update_event(event=hands_on, values={"venue": venue}) == ["venue"]
    assert update_event(event=hands_on, values={"venue": Venue.objects.get()}) == []


def test_cancelling_sends_cancelled_once(
    client, organiser, hands_on, announcements, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    url = reverse("organisers:event_cancel", args=[hands_on.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)
    hands_on.refresh_from_db()
    assert hands_on.is_cancelled and hands_on.sequence == 1
    assert [item["cancelled"] for item in announcements] == [True]


def test_repeat_next_year_copies_settings_and_questions(client, organiser, hands_on, make_person):
    co = make_person()
    hands_on.organisers.add(co)
    hands_on.title = "SWAN hands-on 2030"
    hands_on.save()
    client.force_login(organiser)
    page = client.get(reverse("organisers:event_clone", args=[hands_on.slug]))
    proposed = page.context["form"].initial["start"]
    assert proposed.weekday() == hands_on.local_start.weekday()  # 52 weeks: same weekday
    response = client.post(
        reverse("organisers:event_clone", args=[hands_on.slug]),
        {"start": proposed.strftime("%Y-%m-%dT%H:%M")},
    )
    copy = Event.objects.exclude(pk=hands_on.pk).get(title__startswith="SWAN")
    assert response["Location"] == reverse("organisers:event_edit", args=[copy.slug])
    assert copy.end - copy.start == hands_on.end - hands_on.start
    assert set(copy.organisers.all()) == {organiser, co}
    assert copy.registration_settings.onsite_capacity == 2
    assert [q.label for q in copy.questions.all()] == ["Experiment"]
    assert copy.registrations.count() == 0
    assert copy.title == f"SWAN hands-on {proposed.year}"


def test_repeating_at_a_date_near_year_9999_is_refused(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:event_clone", args=[hands_on.slug])
    response = client.post(url, {"start": "9999-12-31T23:00"})
    assert response.status_code == 400
    assert "Enter a year between" in response.content.decode()
    assert Event.objects.count() == 1


def test_co_organiser_added_by_email_and_unknown_email_explained(
    client, organiser, hands_on, make_person
):
    colleague = make_person(email="Colleague@Example.org")
    client.force_login(organiser)
    url = reverse("organisers:co_organisers", args=[hands_on.slug])
    response = client.post(url, {"email": "nobody@example.org"})
    assert response.status_code == 400
    assert "No one has an account with this e-mail address" in response.content.decode()
    assert list(hands_on.organisers.all()) == [organiser]
    client.post(url, {"email": "colleague@example.org"})
    assert set(hands_on.organisers.all()) == {organiser, colleague}
    client.force_login(colleague)
    assert client.get(reverse("organisers:event_overview", args=[hands_on.slug])).status_code == 200


def test_the_last_organiser_cannot_be_removed(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:co_organiser_remove", args=[hands_on.slug, organiser.pk])
    response = client.post(url, follow=True)
    assert "keeps at least one organiser" in response.content.decode()
    assert list(hands_on.organisers.all()) == [organiser]


def test_removing_a_tampered_user_id_is_a_404(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:co_organiser_remove", args=[hands_on.slug, 999_999])
    assert client.post(url).status_code == 404


def test_only_people_with_the_right_may_create_events(client, make_person):
    """Signing up does not make anyone an organiser: creating events needs staff or the right."""
    someone = make_person()
    client.force_login(someone)
    assert client.get(reverse("organisers:event_create")).status_code == 403
    response = client.post(reverse("organisers:event_create"), event_form())
    assert response.status_code == 403
    assert "ask the site staff" in response.content.decode()
    assert not Event.objects.exists()
    assert "New event" not in client.get(reverse("organisers:dashboard")).content.decode()
