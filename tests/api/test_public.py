"""Public reads: events with filters, one event with its places per mode, series and meetings."""

from datetime import UTC, datetime, timedelta

import pytest

from escape_events.events.services import cancel_occurrence, move_occurrence
from escape_events.registrations.models import Registration
from escape_events.timetable.models import Convener, Entry, Material, Session, Speaker
from tests.conftest import ZURICH


@pytest.fixture
def events(make_event, wp2_series):
    return {
        "camp": make_event(title="Rucio coding camp", slug="rucio-camp", kind="coding_camp",
                           summary="Hands on Rucio",
                           start=datetime(2019, 10, 14, 9, 0, tzinfo=ZURICH)),
        "swan": make_event(title="SWAN users' workshop", slug="swan-workshop", kind="workshop",
                           start=datetime(2019, 10, 11, 9, 0, tzinfo=ZURICH)),
        "hidden": make_event(title="Hidden", slug="hidden", is_listed=False),
        "meeting": make_event(title="WP2 meeting", slug="wp2-2019-10-09", series=wp2_series,
                              recurrence_id=datetime(2019, 10, 9, 14, 0, tzinfo=ZURICH),
                              start=datetime(2019, 10, 9, 14, 0, tzinfo=ZURICH)),
    }  # fmt: skip


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["wp2-2019-10-09", "swan-workshop", "rucio-camp"]),
        ({"kind": "workshop"}, ["swan-workshop"]),
        ({"q": "rucio"}, ["rucio-camp"]),
        ({"series": "escape-wp2-meeting"}, ["wp2-2019-10-09"]),
        ({"after": "2019-10-10", "before": "2019-10-12T00:00:00+02:00"}, ["swan-workshop"]),
        ({"after": "2019-10-12T00:00:00Z"}, ["rucio-camp"]),
    ],
)
def test_events_filters(api, events, query, expected):
    assert slugs(api().get("/api/events", query)) == expected


@pytest.mark.parametrize(
    "query",
    [{"kind": "party"}, {"after": "yesterday"}, {"after": "1.5"}, {"before": "0001-01-01"},
     {"page": "0"}, {"page_size": "1000"}, {"q": "x" * 101}],
)  # fmt: skip
def test_bad_filters_are_a_422_problem_naming_the_field(api, events, query):
    response = api().get("/api/events", query)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Unprocessable Content"
    assert problem["errors"][0]["loc"][-1] == next(iter(query))


def test_one_event_with_availability_per_mode_and_questions(api, hands_on, make_user):
    Registration.objects.create(event=hands_on, user=make_user(), mode="onsite",
                                status="confirmed")  # fmt: skip
    body = api().get(f"/api/events/{hands_on.slug}").json()
    registration = body["registration"]
    assert registration["is_open"] is True and registration["refusal"] is None
    assert registration["modes"] == [
        {"mode": "onsite", "label": "On-site", "capacity": 2, "free": 1, "waiting": 0,
         "is_full": False},
        {"mode": "remote", "label": "Remote", "capacity": None, "free": None, "waiting": 0,
         "is_full": False},
    ]  # fmt: skip
    assert registration["questions"][0]["label"] == "Experiment"
    assert "online_url" not in body


def test_a_closed_event_says_why_as_the_page_does(api, hands_on):
    hands_on.registration_settings.closes_at = hands_on.registration_settings.opens_at + timedelta(
        minutes=1
    )
    hands_on.registration_settings.save()
    registration = api().get(f"/api/events/{hands_on.slug}").json()["registration"]
    assert registration["is_open"] is False
    assert registration["refusal"] == "Registration is closed."


def test_an_event_without_registration_says_so_and_unknown_is_404(api, events):
    assert api().get("/api/events/rucio-camp").json()["registration"] is None
    missing = api().get("/api/events/no-such-event")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No event matches the given query."


def test_series_and_its_meetings_with_moved_and_cancelled_marked(api, wp2_series):
    cancel_occurrence(series=wp2_series, recurrence_id=datetime(2019, 11, 13, 14, 0, tzinfo=ZURICH))
    move_occurrence(
        series=wp2_series,
        recurrence_id=datetime(2019, 10, 23, 14, 0, tzinfo=ZURICH),
        start=datetime(2019, 10, 24, 14, 0, tzinfo=ZURICH),
        end=datetime(2019, 10, 24, 15, 30, tzinfo=ZURICH),
        venue=None,
    )
    listed = api().get("/api/series").json()["items"]
    assert "2nd and 4th Wednesday" in listed[0]["schedule"]
    response = api().get(
        "/api/series/escape-wp2-meeting/occurrences",
        {"after": "2019-10-01T00:00:00Z", "before": "2019-12-01T00:00:00Z"},
    )
    meetings = [
        (item["start"], item["is_moved"], item["is_cancelled"]) for item in response.json()["items"]
    ]
    assert meetings == [
        ("2019-10-09T12:00:00Z", False, False),
        ("2019-10-24T12:00:00Z", True, False),
        ("2019-11-13T13:00:00Z", False, True),
        ("2019-11-27T13:00:00Z", False, False),
    ]


def test_occurrence_ranges_are_bounded(api, wp2_series):
    url = "/api/series/escape-wp2-meeting/occurrences"
    too_long = api().get(url, {"after": "2019-01-01T00:00:00Z", "before": "2030-01-01T00:00:00Z"})
    assert too_long.status_code == 400
    assert too_long.json()["detail"] == "Ask for at most two years of meetings at once."
    backwards = api().get(url, {"after": "2020-01-01T00:00:00Z", "before": "2019-01-01T00:00:00Z"})
    assert backwards.status_code == 400
    default = api().get(url).json()["items"]
    now = datetime.now(UTC)
    assert default and all(
        now - timedelta(hours=2) < datetime.fromisoformat(item["end"]) for item in default
    )


def test_the_agenda_with_sessions_speakers_and_materials(api, hands_on):
    session = Session.objects.create(event=hands_on, title="Day 1: SWAN", location="Room 2")
    Convener.objects.create(session=session, name="Enric Tejedor", affiliation="CERN")
    talk = Entry.objects.create(
        event=hands_on, session=session, title="SWAN in 20 minutes", kind="talk",
        start=hands_on.start, end=hands_on.start + timedelta(minutes=20),
    )  # fmt: skip
    Speaker.objects.create(entry=talk, name="Diogo Castro", affiliation="CERN")
    Material.objects.create(
        event=talk.event, entry=talk, title="Slides", url="https://indico.example.org/slides"
    )
    Entry.objects.create(
        event=hands_on, title="Coffee", kind="break",
        start=hands_on.start + timedelta(minutes=20), end=hands_on.start + timedelta(minutes=30),
    )  # fmt: skip
    body = api().get(f"/api/events/{hands_on.slug}/agenda").json()
    first, second = body["items"]
    assert first["session"] == {
        "title": "Day 1: SWAN",
        "location": "Room 2",
        "conveners": [{"name": "Enric Tejedor", "affiliation": "CERN"}],
    }
    assert first["speakers"] == [{"name": "Diogo Castro", "affiliation": "CERN"}]
    assert first["materials"] == [
        {
            "title": "Slides",
            "url": "https://indico.example.org/slides",
            "is_link": True,
            "folder": None,
        }
    ]
    assert first["place"] == "Room 2"
    assert (second["title"], second["kind"], second["session"]) == ("Coffee", "break", None)


def test_an_event_without_agenda_has_an_empty_one(api, events):
    assert api().get("/api/events/rucio-camp/agenda").json()["items"] == []
