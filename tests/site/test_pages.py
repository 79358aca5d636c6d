import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from escape_events.events.models import Event, Kind
from escape_events.events.seeding import load_seeds
from escape_events.events.services import add_attachment, materialise_occurrence
from escape_events.timetable.minutes import save_minutes


@pytest.fixture
def seeded(db):
    """Seeds as a newcomer loads them today: the demo editions lie ahead of the real clock."""
    load_seeds()


def test_home_lists_upcoming_events_and_next_meetings(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "SWAN hands-on session (demo edition)" in html
    assert "ESCAPE WP2 fortnightly meeting" in html
    assert "SWAN users&#x27; workshop" not in html  # 2019: past
    assert '<link rel="alternate" type="text/calendar"' in html


def test_past_page_lists_the_2019_events(client, seeded):
    html = client.get("/past/").content.decode()
    for title in ["SWAN hands-on session", "Rucio coding camp", "task leaders"]:
        assert title in html


@pytest.mark.parametrize(
    "url", ["/", "/past/", "/events/swan-hands-on-2019/", "/series/escape-wp2-meeting/"]
)
def test_headings_never_skip_a_level(client, seeded, url):
    """Screen-reader users jump by heading: one h1, and no h3 without an h2 above it."""
    levels = [
        int(level) for level in re.findall(r"<h([1-6])[ >]", client.get(url).content.decode())
    ]
    assert levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels)), levels


def test_past_events_are_grouped_by_year(client, seeded):
    assert '<h2 id="year-2019">2019</h2>' in client.get("/past/").content.decode()


def test_filter_by_kind_and_search(client, seeded):
    html = client.get("/past/", {"kind": Kind.WORKSHOP}).content.decode()
    assert "SWAN users" in html and "Rucio coding camp" not in html
    html = client.get("/past/", {"q": "rucio"}).content.decode()
    assert "Rucio coding camp" in html and "SWAN users" not in html


def test_bad_filter_is_a_400_with_a_message(client, seeded):
    response = client.get("/", {"kind": "party", "q": "x" * 500})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "at most 100 characters" in html


def test_event_page_shows_time_zone_abbreviation_and_facts(client, seeded):
    response = client.get("/events/swan-hands-on-2019/")
    html = response.content.decode()
    assert "Mon 14 Oct 2019, 14:00–17:30 CEST" in html
    assert "hard to follow remotely" in html
    assert "Rucio coding camp" in html  # held alongside
    assert 'href="/feeds/events/swan-hands-on-2019.ics"' in html


def test_all_day_multi_day_event_shows_its_day_range(client, seeded):
    html = client.get("/events/rucio-coding-camp-2019/").content.decode()
    assert "Mon 14 – Wed 16 Oct 2019" in html


def test_meeting_page_shows_minutes_attendance_and_attachment(client, seeded):
    meeting = Event.objects.get(series__slug="escape-wp2-meeting")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Present (22)" in html and "Pandey" in html
    attachment = meeting.attachments.get()
    assert attachment.get_absolute_url() in html
    download = client.get(attachment.get_absolute_url())
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"WP2 fortnightly meeting" in b"".join(download.streaming_content)


def test_office_files_are_downloaded_not_shown(client, make_event):
    event = make_event()
    upload = SimpleUploadedFile("slides.pptx", b"PK\x03\x04" + b"0" * 20)
    item = add_attachment(event=event, uploaded_file=upload, title="Slides", kind="slides")
    response = client.get(item.get_absolute_url())
    assert response["Content-Disposition"].startswith("attachment;")


def test_series_page_and_occurrence_page(client, seeded):
    response = client.get("/series/escape-wp2-meeting/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2nd and 4th Wednesday of each month, 14:00–15:30 (Europe/Zurich)" in html
    assert 'href="/feeds/series/escape-wp2-meeting.ics"' in html
    assert client.get("/series/escape-wp2-meeting/2019-09-25/").status_code == 200
    assert client.get("/series/escape-wp2-meeting/2019-09-26/").status_code == 404
    assert client.get("/series/escape-wp2-meeting/not-a-date/").status_code == 404
    stored = client.get("/series/escape-wp2-meeting/2019-09-04/")
    assert stored.status_code == 302 and stored.url.startswith("/events/")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "9998-12-30", "1899-12-31"])
def test_meeting_dates_beyond_the_calendar_are_404_not_500(client, seeded, day):
    assert client.get(f"/series/escape-wp2-meeting/{day}/").status_code == 404


def test_pages_answer_head_requests(client, seeded):
    for url in ["/", "/past/", "/events/swan-hands-on-2019/", "/series/escape-wp2-meeting/"]:
        assert client.head(url).status_code == 200, url


def test_attachment_whose_file_is_gone_is_404(client, make_event):
    event = make_event()
    upload = SimpleUploadedFile("notes.txt", b"notes")
    item = add_attachment(event=event, uploaded_file=upload, title="Notes", kind="other")
    item.file.storage.delete(item.file.name)
    assert client.get(item.get_absolute_url()).status_code == 404


def test_unknown_pages_are_404(client, db):
    assert client.get("/events/nope/").status_code == 404
    assert client.get("/series/nope/").status_code == 404
    assert client.get("/events/nope/attachments/1/").status_code == 404


def test_listing_pages_reject_writes(client, db):
    assert client.post("/").status_code == 405


def _many(make_event, wp2_series, count):
    now = timezone.now()
    for number in range(count):
        start = now + timedelta(days=number + 1)
        make_event(start=start, end=start + timedelta(hours=1))
        materialise_occurrence(
            series=wp2_series, recurrence_id=now + timedelta(days=number, hours=3)
        )


@pytest.mark.parametrize("count", [2, 30])
def test_home_uses_a_fixed_number_of_queries(
    client, make_event, wp2_series, count, django_assert_num_queries
):
    _many(make_event, wp2_series, count)
    with django_assert_num_queries(4):  # events, series, occurrence overrides, series list
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("count", [2, 30])
def test_series_page_uses_a_fixed_number_of_queries(
    client, make_event, wp2_series, count, django_assert_num_queries, give_agenda
):
    for number in range(count):
        past = datetime(2020, 1, 8, 13, tzinfo=UTC) + timedelta(weeks=number)
        meeting = materialise_occurrence(series=wp2_series, recurrence_id=past)
        add_attachment(
            event=meeting,
            uploaded_file=SimpleUploadedFile("m.txt", b"minutes"),
            title="Minutes",
            kind="minutes",
        )
        give_agenda(meeting, number % 5 + 1)
    # series, overrides, past meetings, their attachments; recent agendas: meetings, entries,
    # speakers; the series' reminder plan
    with django_assert_num_queries(8):
        assert client.get("/series/escape-wp2-meeting/").status_code == 200


def test_description_markdown_is_rendered_without_script(client, make_event):
    event = make_event(
        description="**Bring a laptop.**\n\n<script>alert(1)</script> [x](javascript:alert(2)) "
        '<img src=x onerror="alert(3)">'
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>Bring a laptop.</strong>" in html
    assert "alert(" not in html


def _meeting_with_everything(make_event, django_user_model):
    """A meeting page with every list it can show: files, people present, an event alongside."""
    meeting = make_event(title="WP2 meeting")
    partner = make_event(title="Rucio coding camp")
    meeting.colocated_with.add(partner)
    add_attachment(
        event=meeting,
        uploaded_file=SimpleUploadedFile("minutes.txt", b"minutes"),
        title="Minutes",
        kind="minutes",
    )
    meeting.attendance.create(name="Ada Lovelace")
    save_minutes(event=meeting, text="Agreed to meet fortnightly.", base_revision=0, by=None)
    return meeting, partner


@pytest.mark.parametrize("signed_in", [False, True])
def test_event_page_reads_what_its_cached_blocks_show_only_when_they_are_not_cached(
    client, make_event, django_user_model, django_assert_num_queries, signed_in
):
    plain = make_event(title="Lecture")
    meeting, partner = _meeting_with_everything(make_event, django_user_model)
    if signed_in:  # an attendee: session, user, whether they organise anything
        client.force_login(django_user_model.objects.create_user("ada", "ada@example.org"))
    # Every load: the event (knowing whether events are held alongside, with its content version
    # and the registration box's settings, none here); signed in, the session, the user and, on the
    # first page only, whether they organise anything (then kept in the cache): their
    # permissions, own and through groups, then whether they organise a series or an event;
    # and who they are to the event (the kind of reader its materials are listed for).
    first, later = (1 + 7, 1 + 3) if signed_in else (1, 1)
    with django_assert_num_queries(first + 5):  # agenda, materials, minutes, files, people (none)
        page = client.get(plain.get_absolute_url())
    assert "Held alongside" not in page.content.decode()
    with django_assert_num_queries(
        later + 6
    ):  # agenda, materials, minutes, files, people, partners
        page = client.get(meeting.get_absolute_url()).content.decode()
    assert (
        "Agreed to meet fortnightly." in page and "Ada Lovelace" in page and partner.title in page
    )
    # Again: what the cached blocks show (agenda, lists) is not read at all.
    with django_assert_num_queries(later):
        again = client.get(meeting.get_absolute_url()).content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # masked anew every time
    assert token.sub("", again) == token.sub("", page)


def test_meeting_pages_far_ahead_are_404_without_expanding_the_rule(client, seeded, monkeypatch):
    from escape_events.events.models import Series

    def expanded(self):
        raise AssertionError("the rule was expanded for a date far outside the series")

    monkeypatch.setattr(Series, "rule", expanded)
    assert client.get("/series/escape-wp2-meeting/2199-12-11/").status_code == 404


@pytest.mark.parametrize(
    "query", [{"kind": "meeting"}, {"q": "WP2"}, {"q": "wp2", "kind": "meeting"}]
)
def test_home_search_and_kind_find_the_meetings_of_a_series(client, seeded, query):
    response = client.get("/", query)
    assert response.status_code == 200
    found = response.context["events"]
    meetings = [item for item in found if getattr(item, "series", None)]
    assert len(meetings) >= 3  # a fortnightly meeting: three or four in the next eight weeks
    assert all(item.start >= timezone.now() - timedelta(hours=2) for item in found)
    assert [item.start for item in found] == sorted(item.start for item in found)
    html = response.content.decode()
    assert "ESCAPE WP2 fortnightly meeting" in html
    assert "Matching events and meetings" in html


def test_home_search_finds_events_and_meetings_together_or_nothing(client, seeded):
    found = client.get("/", {"q": "SWAN"}).context["events"]
    assert [item.title for item in found] == ["SWAN hands-on session (demo edition)"]
    assert not client.get("/", {"kind": "meeting", "q": "SWAN"}).context["events"]
    html = client.get("/", {"q": "no such thing"}).content.decode()
    assert "No upcoming event, and no meeting in the next weeks, matches your filter" in html


@pytest.mark.parametrize("count", [2, 30])
def test_home_search_uses_a_fixed_number_of_queries(
    client, make_event, wp2_series, count, django_assert_num_queries
):
    _many(make_event, wp2_series, count)
    with django_assert_num_queries(3):  # events, matching series, their meetings' overrides
        assert client.get("/", {"q": "e"}).status_code == 200
