"""The organiser's meetings page of a series: cancel, move, restore and open one meeting."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from escape_events.events.models import Event, Series, Venue
from escape_events.events.selectors import find_occurrence, next_occurrences, occurrences_between
from escape_events.events.services import cancel_occurrence, move_occurrence
from escape_events.organisers.converters import OccurrenceConverter

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(wp2_series, organiser, venue):
    wp2_series.organisers.add(organiser)
    wp2_series.venue = venue
    wp2_series.save()
    return wp2_series


@pytest.fixture
def meetings(series):
    """The original starts of the next three meetings."""
    return [meeting.recurrence_id for meeting in next_occurrences(series, 3)]


def url(name, series, recurrence_id=None):
    kwargs = {"series_slug": series.slug}
    if recurrence_id is not None:
        kwargs["recurrence_id"] = recurrence_id
    return reverse(f"organisers:{name}", kwargs=kwargs)


def feed(client, series):
    body = client.get(reverse("feeds:series", kwargs={"slug": series.slug})).content
    events = Calendar.from_ical(body).walk("VEVENT")
    master = next(event for event in events if "RRULE" in event)
    overrides = {event["RECURRENCE-ID"].dt: event for event in events if "RECURRENCE-ID" in event}
    exdates = [moment.dt for line in _as_list(master.get("EXDATE")) for moment in line.dts]
    return master, overrides, exdates


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_page_lists_the_next_twelve_and_recent_meetings_with_their_marks(
    signed_in, series, meetings
):
    cancel_occurrence(series=series, recurrence_id=meetings[0])
    moved_to = meetings[1] + timedelta(days=1, hours=2)
    move_occurrence(
        series=series,
        recurrence_id=meetings[1],
        start=moved_to,
        end=moved_to + timedelta(hours=1),
        venue=None,
    )
    response = signed_in.get(url("series_meetings", series))
    assert response.status_code == 200
    page = response.content.decode()
    assert len(response.context["upcoming"]) == 12
    assert 1 <= len(response.context["past"]) <= 6
    assert [meeting.is_cancelled for meeting in response.context["upcoming"][:1]] == [True]
    assert page.count("tag-cancelled") == 1 and page.count("tag-moved") == 1
    original = meetings[1].astimezone(series.zone)
    assert f"Instead of {original:%a} {original.day} {original:%b %Y, %H:%M}" in page
    assert page.count(">Restore</button>") == 1
    assert page.count(">Cancel this meeting…</summary>") == 11  # asks before it cancels
    assert page.count(">Yes, cancel it</button>") == 11
    assert "2nd and 4th Wednesday" in page


def test_dashboard_links_the_series_to_its_meetings_page(signed_in, series):
    page = signed_in.get(reverse("organisers:dashboard")).content.decode()
    assert f'href="{url("series_meetings", series)}"' in page


def test_cancelling_a_meeting_puts_an_exdate_in_the_feed_and_raises_its_sequence(
    client, signed_in, series, meetings
):
    master_before, _, exdates_before = feed(client, series)
    response = signed_in.post(url("meeting_cancel", series, meetings[0]))
    assert response.status_code == 302
    meeting = Event.objects.get(series=series, recurrence_id=meetings[0])
    assert meeting.is_cancelled
    master, overrides, exdates = feed(client, series)
    assert exdates_before == []
    assert exdates == [meetings[0].astimezone(series.zone)]
    assert master["SEQUENCE"] > master_before["SEQUENCE"]
    assert meetings[0] not in overrides


def test_cancelling_twice_keeps_one_row_and_says_so(signed_in, series, meetings):
    signed_in.post(url("meeting_cancel", series, meetings[0]))
    response = signed_in.post(url("meeting_cancel", series, meetings[0]), follow=True)
    assert "was already cancelled" in response.content.decode()
    assert Event.objects.filter(series=series).count() == 1


def test_registrants_of_a_cancelled_meeting_are_told_by_mail(
    signed_in, series, meetings, register, django_capture_on_commit_callbacks
):
    signed_in.post(url("meeting_open", series, meetings[0]))
    registration = register(Event.objects.get(series=series, recurrence_id=meetings[0]))
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(url("meeting_cancel", series, meetings[0]))
    assert [message.to for message in mail.outbox] == [[registration.user.email]]
    assert mail.outbox[0].subject.startswith("Cancelled:")


def test_moving_a_meeting_keeps_its_original_start_as_recurrence_id_in_the_feed(
    client, signed_in, series, meetings
):
    other_room = Venue.objects.create(name="CERN", room="Main Auditorium")
    master_before, _, _ = feed(client, series)
    original = meetings[0].astimezone(series.zone)
    response = signed_in.post(
        url("meeting_move", series, meetings[0]),
        {
            "start": f"{original + timedelta(days=1):%Y-%m-%d}T10:00",
            "end": f"{original + timedelta(days=1):%Y-%m-%d}T11:30",
            "venue": other_room.pk,
        },
    )
    assert response.status_code == 302
    meeting = Event.objects.get(series=series, recurrence_id=meetings[0])
    local_start = meeting.start.astimezone(series.zone)
    assert (local_start.date(), local_start.hour) == ((original + timedelta(days=1)).date(), 10)
    assert meeting.end - meeting.start == timedelta(minutes=90)
    assert meeting.venue == other_room
    master, overrides, exdates = feed(client, series)
    override = overrides[original]
    assert override["DTSTART"].dt == local_start
    assert "Main Auditorium" in str(override["LOCATION"])
    assert override["SEQUENCE"] >= 1
    assert master["SEQUENCE"] > master_before["SEQUENCE"]
    assert exdates == []


def test_move_form_reads_times_in_the_series_time_zone_and_starts_from_the_meeting(
    signed_in, series, meetings
):
    page = signed_in.get(url("meeting_move", series, meetings[0])).content.decode()
    local = meetings[0].astimezone(series.zone)
    assert f'value="{local:%Y-%m-%dT%H:%M}"' in page
    assert "Local time in Europe/Zurich." in page
    assert "The usual place (CERN, Council Chamber)" in page


def test_a_move_ending_before_it_starts_is_refused_and_stores_nothing(signed_in, series, meetings):
    response = signed_in.post(
        url("meeting_move", series, meetings[0]),
        {"start": "2031-01-08T14:00", "end": "2031-01-08T13:00"},
    )
    assert response.status_code == 400
    assert "The end must be after the start." in response.content.decode()
    assert not Event.objects.filter(series=series).exists()


def test_a_cancelled_meeting_must_be_restored_before_it_moves(signed_in, series, meetings):
    cancel_occurrence(series=series, recurrence_id=meetings[0])
    response = signed_in.post(
        url("meeting_move", series, meetings[0]),
        {"start": "2031-01-08T14:00", "end": "2031-01-08T15:00"},
    )
    assert response.status_code == 400
    assert "This meeting is cancelled. Restore it" in response.content.decode()
    assert Event.objects.get(series=series).start == meetings[0]


def test_restoring_brings_the_meeting_back_into_the_feed(client, signed_in, series, meetings):
    cancel_occurrence(series=series, recurrence_id=meetings[0])
    master_cancelled, _, _ = feed(client, series)
    response = signed_in.post(url("meeting_restore", series, meetings[0]))
    assert response.status_code == 302
    meeting = Event.objects.get(series=series, recurrence_id=meetings[0])
    assert meeting.status == Event.Status.SCHEDULED
    master, overrides, exdates = feed(client, series)
    assert exdates == []
    assert meetings[0].astimezone(series.zone) in overrides
    assert master["SEQUENCE"] > master_cancelled["SEQUENCE"]


def test_opening_a_meeting_stores_it_once_and_leads_to_its_overview(signed_in, series, meetings):
    first = signed_in.post(url("meeting_open", series, meetings[2]))
    again = signed_in.post(url("meeting_open", series, meetings[2]))
    meeting = Event.objects.get(series=series, recurrence_id=meetings[2])
    overview = reverse("organisers:event_overview", kwargs={"slug": meeting.slug})
    assert first["Location"] == again["Location"] == overview
    assert meeting.start == meetings[2] and not meeting.is_moved
    page = signed_in.get(url("series_meetings", series)).content.decode()
    assert f'href="{overview}"' in page
    assert signed_in.get(overview).status_code == 200


@pytest.mark.parametrize("name", ["meeting_cancel", "meeting_move", "meeting_open"])
def test_a_start_the_series_does_not_have_is_404_and_stores_nothing(
    signed_in, series, meetings, name
):
    not_a_meeting = meetings[0] + timedelta(days=1)  # a Thursday
    response = signed_in.post(
        url(name, series, not_a_meeting), {"start": "2031-01-08T14:00", "end": "2031-01-08T15:00"}
    )
    assert response.status_code == 404
    assert "has no meeting on" in response.content.decode()
    assert not Event.objects.filter(series=series).exists()


@pytest.mark.parametrize("token", ["20301313T120000Z", "20300313T250000Z", "2030-03-13", "x"])
def test_a_malformed_meeting_address_is_404(signed_in, series, token):
    response = signed_in.post(f"{url('series_meetings', series)}{token}/cancel/")
    assert response.status_code == 404
    assert not Event.objects.filter(series=series).exists()


def test_an_extra_date_stored_outside_the_rule_can_be_cancelled(signed_in, series, meetings):
    extra = Event.objects.create(
        series=series,
        recurrence_id=meetings[0] + timedelta(days=2),
        title=series.title,
        slug="wp2-extra",
        start=meetings[0] + timedelta(days=2),
        end=meetings[0] + timedelta(days=2, hours=1),
    )
    response = signed_in.post(url("meeting_cancel", series, extra.recurrence_id))
    assert response.status_code == 302
    extra.refresh_from_db()
    assert extra.is_cancelled


def test_staff_may_run_any_series(client, make_person, series, meetings):
    client.force_login(make_person(is_staff=True))
    assert client.get(url("series_meetings", series)).status_code == 200
    assert client.post(url("meeting_cancel", series, meetings[0])).status_code == 302


def test_the_page_takes_the_same_few_queries_however_many_meetings_are_stored(
    signed_in, series, meetings, django_assert_num_queries
):
    # The first page asks the menu's "Organise" check: the person's permissions, own and through
    # groups, enough for one who may create events.
    with django_assert_num_queries(6):
        signed_in.get(url("series_meetings", series))
    for recurrence_id in meetings:
        cancel_occurrence(series=series, recurrence_id=recurrence_id)
    with django_assert_num_queries(5):  # then it is cached; one more: which have minutes
        response = signed_in.get(url("series_meetings", series))
    assert response.content.decode().count("tag-cancelled") == 3


def test_urls_carry_the_original_start_in_utc():
    converter = OccurrenceConverter()
    text = "20300313T130000Z"
    assert converter.to_url(converter.to_python(text)) == text


def test_services_refuse_a_date_the_series_does_not_have_and_moving_a_cancelled_meeting(
    series, meetings
):
    with pytest.raises(ValidationError, match="has no meeting on"):
        cancel_occurrence(series=series, recurrence_id=meetings[0] + timedelta(hours=1))
    cancel_occurrence(series=series, recurrence_id=meetings[0])
    with pytest.raises(ValidationError, match="restore it before moving it"):
        move_occurrence(
            series=series,
            recurrence_id=meetings[0],
            start=meetings[0],
            end=meetings[0] + timedelta(hours=1),
            venue=None,
        )
    assert Event.objects.filter(series=series).count() == 1


@pytest.mark.parametrize("far", ["99991231T235959Z", "99990113T130000Z", "00010101T000000Z"])
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("meeting_cancel", "post"),
        ("meeting_restore", "post"),
        ("meeting_open", "post"),
        ("meeting_move", "get"),
        ("meeting_move", "post"),
    ],
)
def test_meeting_addresses_far_outside_the_series_are_404_without_expanding_it(
    signed_in, series, monkeypatch, far, name, method
):
    def expanded(self):
        raise AssertionError("the rule was expanded for a date far outside the series")

    monkeypatch.setattr(Series, "rule", expanded)
    address = f"{url('series_meetings', series)}{far}/{name.removeprefix('meeting_')}/"
    response = getattr(signed_in, method)(address)
    assert response.status_code == 404
    assert not Event.objects.filter(series=series).exists()


def test_looking_far_ahead_or_before_the_first_meeting_expands_nothing(series, monkeypatch):
    def expanded(self):
        raise AssertionError("the rule was expanded")

    monkeypatch.setattr(Series, "rule", expanded)
    far = datetime(2900, 1, 14, 13, tzinfo=UTC)
    assert find_occurrence(series, far) is None
    assert find_occurrence(series, series.first_start - timedelta(days=14)) is None
    assert occurrences_between(far, far + timedelta(days=60), [series]) == []
    with pytest.raises(ValidationError, match="has no meeting on"):
        cancel_occurrence(series=series, recurrence_id=datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
