"""Series without the admin: create and edit one (rule picked in words), add a meeting, its
organisers, and what an opened meeting offers."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escape_events.events.models import Event, Series
from escape_events.events.selectors import next_occurrences
from escape_events.events.services import materialise_occurrence

pytestmark = pytest.mark.django_db

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")


@pytest.fixture
def series(wp2_series, organiser):
    wp2_series.organisers.add(organiser)
    return wp2_series


def form_data(**changes):
    data = {
        "title": "Data-lake office hours",
        "kind": "meeting",
        "repeat": "monthly",
        "interval": "1",
        "ordinals": ["2", "4"],
        "month_weekday": "2",
        "first_day": "2030-01-01",
        "start_time": "14:00",
        "end_time": "15:30",
        "time_zone": "Europe/Zurich",
        "online_url": "https://meet.example.org/office-hours",
        "new_venue_name": "CERN",
        "new_venue_room": "31/S-023",
        "is_listed": "on",
    }
    data.update(changes)
    return data


def test_an_organiser_creates_a_series_picking_the_rule_in_words(signed_in, organiser, client):
    response = signed_in.post(reverse("organisers:series_create"), form_data())
    series = Series.objects.get(title="Data-lake office hours")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisers:series_meetings", args=[series.slug])
    assert series.rrule == "FREQ=MONTHLY;BYDAY=2WE,4WE"
    assert series.first_start == datetime(2030, 1, 9, 14, tzinfo=ZURICH)
    assert series.duration == timedelta(minutes=90)
    assert str(series.venue) == "CERN, 31/S-023"
    assert list(series.organisers.all()) == [organiser]
    public = client.get(series.get_absolute_url()).content.decode()
    assert "Every 2nd and 4th Wednesday of each month, 14:00–15:30" in public
    assert "FREQ=" not in public


def test_weekly_rules_with_an_interval_and_an_end(signed_in):
    data = form_data(repeat="weekly", interval="2", weekdays=["0", "3"], until="2030-06-30")
    assert signed_in.post(reverse("organisers:series_create"), data).status_code == 302
    series = Series.objects.get()
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20300630T215959Z"
    assert series.describe_schedule().startswith(
        "Every 2 weeks on Monday and Thursday, until 30 Jun 2030, 14:00–15:30"
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"repeat": "weekly", "weekdays": []}, "weekdays", "Tick the days of the week"),
        ({"ordinals": []}, "ordinals", "Tick which weeks of the month"),
        ({"end_time": "13:00"}, "end_time", "The end must be after the start"),
        ({"until": "2029-12-01"}, "until", "cannot come before the first"),
        ({"first_day": "0001-01-01"}, "first_day", "Enter a year between"),
        ({"repeat": "yearly"}, "repeat", "Select a valid choice"),
        ({"interval": "0"}, "interval", "greater than or equal to 1"),
        ({"title": "Two\nlines"}, "title", "Keep this on one line"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice"),
    ],
)
def test_bad_series_input_is_refused_at_its_field(signed_in, changes, field, message):
    response = signed_in.post(reverse("organisers:series_create"), form_data(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Series.objects.exists()


def test_creating_a_series_needs_the_right_to_create_events(client, make_person):
    client.force_login(make_person())
    assert client.get(reverse("organisers:series_create")).status_code == 403
    assert client.post(reverse("organisers:series_create"), form_data()).status_code == 403
    assert not Series.objects.exists()


def test_the_edit_form_shows_the_rule_as_chosen(signed_in, series):
    response = signed_in.get(reverse("organisers:series_edit", args=[series.slug]))
    form = response.context["form"]
    assert form.initial["repeat"] == "monthly"
    assert form.initial["ordinals"] == ["2", "4"] and form.initial["month_weekday"] == "2"
    assert form.initial["start_time"].hour == 14
    page = response.content.decode()
    assert "Every 2nd and 4th Wednesday of each month" in page


def test_editing_the_rule_saves_through_the_service(signed_in, series):
    first = series.first_start.astimezone(ZURICH)
    data = form_data(
        title=series.title, repeat="weekly", weekdays=["0"], first_day=f"{first:%Y-%m-%d}",
        new_venue_name="", new_venue_room="",
    )  # fmt: skip
    response = signed_in.post(reverse("organisers:series_edit", args=[series.slug]), data)
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.rrule == "FREQ=WEEKLY;BYDAY=MO"
    assert series.sequence == 1
    assert series.first_start.astimezone(ZURICH).weekday() == 0


def test_a_rule_set_in_the_admin_is_kept_as_it_is(signed_in, series):
    Series.objects.filter(pk=series.pk).update(rrule="FREQ=MONTHLY;BYMONTHDAY=3")
    url = reverse("organisers:series_edit", args=[series.slug])
    page = signed_in.get(url).content.decode()
    assert "As now: Every month on day 3" in page
    first = series.first_start.astimezone(ZURICH)
    data = form_data(title="Renamed", repeat="keep", first_day=f"{first:%Y-%m-%d}")
    assert signed_in.post(url, data).status_code == 302
    series.refresh_from_db()
    assert (series.title, series.rrule) == ("Renamed", "FREQ=MONTHLY;BYMONTHDAY=3")


def test_an_extra_meeting_is_added_from_the_organiser_area(signed_in, series, client):
    url = reverse("organisers:meeting_add", args=[series.slug])
    assert signed_in.get(url).status_code == 200
    data = {"start": "2030-09-04T14:00", "end": "2030-09-04T15:30"}
    assert signed_in.post(url, data).status_code == 302
    extra = Event.objects.get(series=series)
    assert extra.start == datetime(2030, 9, 4, 14, tzinfo=ZURICH)
    again = signed_in.post(url, data)
    assert again.status_code == 400
    assert "already has a meeting" in again.content.decode()
    assert Event.objects.filter(series=series).count() == 1


def test_series_organisers_are_added_and_never_all_removed(
    signed_in, series, make_person, organiser
):
    colleague = make_person(email="colleague@example.org")
    url = reverse("organisers:series_organisers", args=[series.slug])
    assert signed_in.post(url, {"email": "colleague@example.org"}).status_code == 302
    assert set(series.organisers.all()) == {organiser, colleague}
    remove = reverse("organisers:series_organiser_remove", args=[series.slug, colleague.pk])
    signed_in.post(remove)
    last = reverse("organisers:series_organiser_remove", args=[series.slug, organiser.pk])
    response = signed_in.post(last, follow=True)
    assert "keeps at least one organiser" in response.content.decode()
    assert list(series.organisers.all()) == [organiser]


def test_an_opened_meeting_is_titled_with_its_date_and_offers_the_series_actions(signed_in, series):
    upcoming = next_occurrences(series, 1)[0]
    meeting = materialise_occurrence(series=series, recurrence_id=upcoming.recurrence_id)
    page = signed_in.get(reverse("organisers:event_overview", args=[meeting.slug])).content
    page = page.decode()
    local = meeting.local_start
    heading = f"<h1>{series.title}, {local.day} {local:%b %Y}</h1>"
    assert heading in page
    assert "Repeat next year" not in page
    assert reverse("organisers:meeting_move", args=[series.slug, meeting.recurrence_id]) in page
    assert reverse("organisers:series_meetings", args=[series.slug]) in page
    assert "Cancel this meeting…" in page
    clone = reverse("organisers:event_clone", args=[meeting.slug])
    assert signed_in.get(clone).status_code == 404
    public = signed_in.get(meeting.get_absolute_url()).content.decode()
    assert heading in public


def test_the_meeting_of_a_series_organiser_of_one_meeting_only_has_no_series_actions(
    client, series, make_person
):
    upcoming = next_occurrences(series, 1, timezone.now())[0]
    meeting = materialise_occurrence(series=series, recurrence_id=upcoming.recurrence_id)
    helper = make_person()
    meeting.organisers.add(helper)
    client.force_login(helper)
    page = client.get(reverse("organisers:event_overview", args=[meeting.slug])).content.decode()
    assert reverse("organisers:series_meetings", args=[series.slug]) not in page
    assert "Cancel this meeting…" in page and "Repeat next year" not in page
