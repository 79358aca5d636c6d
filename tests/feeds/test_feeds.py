"""Feeds over HTTP: what each holds, caching validators, cookies, query counts, the past window."""

from datetime import UTC, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

from escape_events.core.models import ContentVersion
from escape_events.events.models import Event, Series, Venue
from escape_events.feeds import views as feed_views

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def titles(response) -> str:
    return response.content.decode()


def test_all_feed_holds_listed_events_series_and_the_past_window(client, world):
    response = client.get(reverse("feeds:all"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "Recent lecture" in body  # two months ago: inside the 12-month window
    assert "Old lecture" not in body  # 500 days ago: outside
    assert "SWAN users' workshop" in body
    assert "STATUS:CANCELLED" in body  # the cancelled camp stays, marked
    assert "Unlisted" not in body
    assert "RRULE:FREQ=MONTHLY;BYDAY=2WE,4WE" in body
    assert "X-WR-CALNAME:ESCAPE events" in body


def test_past_window_is_a_setting(client, world, settings):
    settings.FEEDS_PAST_MONTHS = 24
    assert "Old lecture" in client.get(reverse("feeds:all")).content.decode()
    settings.FEEDS_PAST_MONTHS = 1
    assert "Recent lecture" not in client.get(reverse("feeds:all")).content.decode()


def test_kind_feed_holds_only_that_kind(client, world):
    body = client.get(reverse("feeds:kind", kwargs={"kind": "lecture"})).content.decode()
    assert "Recent lecture" in body
    assert "SWAN users' workshop" not in body
    assert "RRULE" not in body
    meetings = client.get(reverse("feeds:kind", kwargs={"kind": "meeting"})).content.decode()
    assert "RRULE:FREQ=MONTHLY;BYDAY=2WE,4WE" in meetings
    assert "X-WR-CALNAME:ESCAPE events: Meeting" in meetings


def test_unknown_kind_series_or_event_is_404(client, world):
    assert client.get(reverse("feeds:kind", kwargs={"kind": "party"})).status_code == 404
    assert client.get(reverse("feeds:series", kwargs={"slug": "nope"})).status_code == 404
    assert client.get(reverse("feeds:event", kwargs={"slug": "nope"})).status_code == 404


def test_series_feed_keeps_its_whole_history(client, world):
    body = client.get(reverse("feeds:series", kwargs={"slug": world["series"].slug})).content
    assert b"RDATE;TZID=Europe/Zurich:20190904T140000" in body
    assert b"EXDATE;TZID=Europe/Zurich:20191113T140000" in body
    assert b"RECURRENCE-ID;TZID=Europe/Zurich:20191023T140000" in body


def test_two_requests_give_identical_bodies_and_etags(client, world):
    first = client.get(reverse("feeds:all"))
    cache.clear()  # build again rather than serve the cached body
    second = client.get(reverse("feeds:all"))
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert first["Last-Modified"] == second["Last-Modified"]


@pytest.mark.parametrize("name", ["all", "kind", "series", "event"])
def test_conditional_get_answers_304_until_the_data_changes(client, world, name):
    kwargs = {
        "all": {},
        "kind": {"kind": "hands_on"},
        "series": {"slug": world["series"].slug},
        "event": {"slug": world["upcoming"].slug},
    }[name]
    url = reverse(f"feeds:{name}", kwargs=kwargs)
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304

    event = world["upcoming"] if name != "series" else world["stored"]["moved"]
    event.title = "Renamed"
    event.save()
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "Renamed" in changed.content.decode()


def test_venue_edit_changes_the_public_feed(client, world):
    first = client.get(reverse("feeds:all"))
    venue = world["upcoming"].venue
    venue.room = "Main Auditorium"
    venue.save()
    second = client.get(reverse("feeds:all"), headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200
    assert "Main Auditorium" in second.content.decode()


def test_public_feeds_are_public_and_need_no_cookie(client, world):
    for url in (
        reverse("feeds:all"),
        reverse("feeds:kind", kwargs={"kind": "meeting"}),
        reverse("feeds:series", kwargs={"slug": world["series"].slug}),
        reverse("feeds:event", kwargs={"slug": world["upcoming"].slug}),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
        assert "max-age=900" in response["Cache-Control"]
        assert "Cookie" not in response.get("Vary", "")
        assert not response.cookies


def test_signed_in_visitor_gets_the_same_public_feed(client, world):
    anonymous = client.get(reverse("feeds:all"))
    client.force_login(world["user"])
    signed_in = client.get(reverse("feeds:all"))
    assert signed_in.content == anonymous.content
    assert "Cookie" not in signed_in.get("Vary", "")


def test_stale_or_malformed_cookies_never_put_a_cookie_on_a_public_feed(client, world):
    client.cookies["sessionid"] = "not-a-session"
    client.cookies["csrftoken"] = "malformed"
    response = client.get(reverse("feeds:all"))
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    page = client.get(reverse("site:home"))  # ordinary pages still clear a stale session
    assert "sessionid" in page.cookies or "Cookie" in page.get("Vary", "")


def test_public_feed_has_no_personal_data(client, world, register):
    register(world["upcoming"], world["user"], mode="remote")
    body = client.get(reverse("feeds:all")).content.decode()
    for secret in ("ada@example.org", "Ada", "ATTENDEE", "meet.example", "chair@example.org"):
        assert secret not in body


def test_all_feed_is_built_in_a_fixed_number_of_queries(
    client, world, make_event, django_assert_num_queries, give_agenda
):
    # Fingerprint: the content version row. Content: events, series, stored occurrences;
    # agendas: entries, their speakers, their sessions' conveners.
    give_agenda(world["upcoming"], 1)
    with django_assert_num_queries(7):
        client.get(reverse("feeds:all"))
    for number in range(40):
        more = make_event(title=f"More {number}", start=timezone.now() + timedelta(days=number))
        give_agenda(more, 3)
    give_agenda(world["stored"]["moved"], 3)
    cache.clear()
    with django_assert_num_queries(7):
        response = client.get(reverse("feeds:all"))
    standalone = Event.objects.filter(
        is_listed=True, series__isnull=True, end__gte=timezone.now() - timedelta(days=365)
    ).count()
    assert standalone == 44
    # The series: its master, the extra 4 Sep meeting and the moved one (the cancelled is EXDATE).
    assert response.content.decode().count("BEGIN:VEVENT") == standalone + 3


def test_cached_body_and_304_skip_the_content_queries(client, world, django_assert_num_queries):
    first = client.get(reverse("feeds:all"))
    with django_assert_num_queries(1):
        assert client.get(reverse("feeds:all")).content == first.content
    with django_assert_num_queries(1):
        response = client.get(reverse("feeds:all"), headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 304


@pytest.mark.parametrize("change", ["unlist", "venue", "new day"])
def test_if_modified_since_alone_sees_what_the_etag_sees(client, world, change, monkeypatch):
    """Clients that send only If-Modified-Since must refetch when an event leaves the feed,
    a venue changes or the past window moves on, though no row in the feed was edited."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    for model in (Event, Series, Venue):
        model.objects.update(updated_at=an_hour_ago)
    ContentVersion.objects.update(changed_at=an_hour_ago)  # the last change, an hour ago
    url = reverse("feeds:all")
    first = client.get(url)
    if change == "unlist":
        world["upcoming"].is_listed = False
        world["upcoming"].save()
    elif change == "venue":
        world["upcoming"].venue.address = "Esplanade des Particules 1"
        world["upcoming"].venue.save()
    else:
        tomorrow = timezone.now().astimezone(UTC).date() + timedelta(days=1)
        monkeypatch.setattr(feed_views, "_today", lambda: tomorrow)
    again = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert parse_http_date(again["Last-Modified"]) > parse_http_date(first["Last-Modified"])


def test_event_download_takes_the_event_and_its_agenda(
    client, world, django_assert_num_queries, give_agenda
):
    give_agenda(world["upcoming"], 5)
    url = reverse("feeds:event", kwargs={"slug": world["upcoming"].slug})
    # the event's id, its version; the event; entries, speakers, conveners
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response["Content-Disposition"] == (
        f'attachment; filename="{world["upcoming"].slug}.ics"'
    )
    with django_assert_num_queries(2):  # kept: the event's id and its version
        assert client.get(url).content == response.content
    with django_assert_num_queries(2):
        assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_head_is_answered_and_posts_are_refused(client, world):
    assert client.head(reverse("feeds:all")).status_code == 200
    assert client.post(reverse("feeds:all")).status_code == 405


def test_event_pages_advertise_and_link_their_feeds(client, world):
    html = client.get(world["upcoming"].get_absolute_url()).content.decode()
    feed = reverse("feeds:event", kwargs={"slug": world["upcoming"].slug})
    assert f'<link rel="alternate" type="text/calendar" title="{world["upcoming"].title}"' in html
    assert f'href="{feed}" download' in html
    assert f'href="webcal://testserver{feed}"' in html
    assert "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Ftestserver" in html
    series_html = client.get(world["series"].get_absolute_url()).content.decode()
    series_feed = reverse("feeds:series", kwargs={"slug": world["series"].slug})
    assert f'type="text/calendar" title="{world["series"].title}" href="{series_feed}"' in (
        series_html
    )
    assert f'href="webcal://testserver{series_feed}"' in series_html


def test_listing_pages_advertise_all_and_kind_feeds(client, world):
    home = client.get("/?kind=hands_on").content.decode()
    assert f'type="text/calendar" title="All ESCAPE events" href="{reverse("feeds:all")}"' in home
    assert 'title="ESCAPE events: Hands-on / tutorial"' in home  # the kind in words
    home = client.get("/?kind=lecture").content.decode()
    assert f'href="{reverse("feeds:kind", kwargs={"kind": "lecture"})}"' in home
    past = client.get(reverse("site:past")).content.decode()
    assert 'rel="alternate" type="text/calendar"' in past
