"""The personal feed: a secret link, stored hashed, showing the user's own registrations."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils.http import parse_http_date
from icalendar import Calendar

from escape_events.core.tokens import hash_token
from escape_events.feeds.models import FeedToken
from escape_events.feeds.services import issue_feed_token
from escape_events.registrations.models import Registration

pytestmark = pytest.mark.django_db


def feed_url(token: str) -> str:
    return reverse("feeds:personal", kwargs={"token": token})


def test_token_is_long_random_and_stored_only_hashed(world):
    token = issue_feed_token(user=world["user"])
    assert len(token) >= 43
    stored = FeedToken.objects.get(user=world["user"])
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash
    assert issue_feed_token(user=world["user"]) != token


def test_regenerating_stops_the_old_link_at_once(client, world):
    old = issue_feed_token(user=world["user"])
    assert client.get(feed_url(old)).status_code == 200
    new = issue_feed_token(user=world["user"])
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def test_unknown_or_revoked_token_is_404(client, world):
    assert client.get(feed_url("not-a-real-token")).status_code == 404
    token = issue_feed_token(user=world["user"])
    client.force_login(world["user"])
    client.post(reverse("feeds:personal_settings"), {"action": "revoke"})
    assert client.get(feed_url(token)).status_code == 404


def test_statuses_become_tentative_or_confirmed_and_cancelled_drop_out(client, world, register):
    user = world["user"]
    register(world["upcoming"], user, status=Registration.Status.WAITING)
    register(world["workshop"], user, status=Registration.Status.CONFIRMED)
    register(world["recent"], user, status=Registration.Status.PENDING)
    register(world["cancelled"], user, status=Registration.Status.CANCELLED)
    register(world["stored"]["moved"], user, status=Registration.Status.REJECTED)
    body = client.get(feed_url(issue_feed_token(user=user))).content.decode()
    events = body.split("BEGIN:VEVENT")[1:]
    assert len(events) == 3
    by_title = {
        title: event
        for event in events
        for title in ("SWAN users' workshop", "Recent lecture", "Réunion")
        if title in event
    }
    assert "STATUS:CONFIRMED" in by_title["SWAN users' workshop"]
    assert "STATUS:TENTATIVE" in by_title["Recent lecture"]
    assert "STATUS:TENTATIVE" in by_title["Réunion"]
    assert "waiting list" in by_title["Réunion"]
    assert "Cancelled camp" not in body
    assert "X-WR-CALNAME:My ESCAPE events" in body


def test_remote_link_only_for_confirmed_remote_registrants(client, world, register, make_event):
    user = world["user"]
    register(world["upcoming"], user, mode=Registration.Mode.REMOTE)
    other = make_event(title="Waiting remote", online_url="https://meet.example/other")
    register(other, user, mode=Registration.Mode.REMOTE, status=Registration.Status.WAITING)
    body = client.get(feed_url(issue_feed_token(user=user))).content
    remote, waiting = Calendar.from_ical(body).walk("VEVENT")
    assert "Join remotely: https://meet.example/hands-on" in remote["DESCRIPTION"]
    assert remote["CONFERENCE"] == "https://meet.example/hands-on"
    assert b"CONFERENCE;FEATURE=AUDIO,VIDEO;LABEL=Join remotely;VALUE=URI:" in body
    assert waiting["SUMMARY"] == "Waiting remote"
    assert "CONFERENCE" not in waiting
    assert b"meet.example/other" not in body


def test_personal_feed_is_private_cookieless_and_answers_304(client, world, register):
    register(world["upcoming"], world["user"])
    url = feed_url(issue_feed_token(user=world["user"]))
    response = client.get(url)
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_a_registration_dropping_out_is_news_to_if_modified_since(client, world, register):
    """Last-Modified moves on when a registration is cancelled, though its event leaves the feed."""
    user = world["user"]
    leaving = register(world["upcoming"], user)
    register(world["workshop"], user)
    url = feed_url(issue_feed_token(user=user))
    first = client.get(url)
    assert client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    Registration.objects.filter(pk=leaving.pk).update(
        status=Registration.Status.CANCELLED,
        status_changed_at=leaving.status_changed_at + timedelta(minutes=1),
    )
    again = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200
    summaries = [
        str(event["SUMMARY"]) for event in Calendar.from_ical(again.content).walk("VEVENT")
    ]
    assert summaries == [world["workshop"].title]
    assert parse_http_date(again["Last-Modified"]) > parse_http_date(first["Last-Modified"])


def test_personal_feed_takes_a_fixed_number_of_queries(
    client, world, register, make_event, django_assert_num_queries, give_agenda
):
    url = feed_url(issue_feed_token(user=world["user"]))
    for number in range(15):
        event = make_event(title=f"Talk {number}")
        register(event, world["user"])
        give_agenda(event, number % 3 + 1)
    # token, site version, registrations with events, followed series (none); agendas:
    # entries, speakers, conveners
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.content.count(b"BEGIN:VEVENT") == 15


def test_settings_page_shows_the_new_link_once(client, world):
    assert client.get(reverse("feeds:personal_settings")).status_code == 302  # to log in
    client.force_login(world["user"])
    page = client.get(reverse("feeds:personal_settings")).content.decode()
    assert "You have no personal feed yet." in page
    response = client.post(reverse("feeds:personal_settings"), {"action": "issue"})
    html = response.content.decode()
    assert "Copy it now" in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    token_hash = FeedToken.objects.get(user=world["user"]).token_hash
    token = re.search(r"/feeds/personal/([A-Za-z0-9_-]+)\.ics", html).group(1)
    assert hash_token(token) == token_hash
    again = client.get(reverse("feeds:personal_settings")).content.decode()
    assert token not in again


def test_settings_post_needs_csrf(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world["user"])
    assert strict.post(reverse("feeds:personal_settings"), {"action": "issue"}).status_code == 403


def vevents(response) -> list:
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_followed_series_is_in_the_feed_as_tentative_until_unfollowed(client, world):
    from escape_events.registrations.services import follow_series, unfollow_series

    user, series = world["user"], world["series"]
    url = feed_url(issue_feed_token(user=user))
    before = client.get(url)
    assert not [item for item in vevents(before) if "RRULE" in item]
    follow_series(series=series, user=user)
    following = client.get(url, headers={"If-None-Match": before["ETag"]})
    assert following.status_code == 200 and following["ETag"] != before["ETag"]
    (master,) = [item for item in vevents(following) if "RRULE" in item]
    assert str(master["SUMMARY"]) == series.title
    assert str(master["STATUS"]) == "TENTATIVE"
    assert "You follow this series" in str(master["DESCRIPTION"])
    moved = [item for item in vevents(following) if "moved to Thursday" in str(item["SUMMARY"])]
    assert [str(item["STATUS"]) for item in moved] == ["TENTATIVE"]
    assert client.get(url, headers={"If-None-Match": following["ETag"]}).status_code == 304
    unfollow_series(series=series, user=user)
    after = client.get(url, headers={"If-None-Match": following["ETag"]})
    assert after.status_code == 200 and after["ETag"] != following["ETag"]
    assert not [item for item in vevents(after) if "RRULE" in item]


def test_a_registered_meeting_of_a_followed_series_is_written_once_as_registered(
    client, world, register
):
    from escape_events.registrations.services import follow_series
    from tests.calendars.scenarios import ZURICH, occurrence

    user, series = world["user"], world["series"]
    meeting = occurrence(
        series,
        datetime(2030, 3, 13, 14, tzinfo=ZURICH),
        title="WP2 meeting with registration",
    )
    register(meeting, user)
    follow_series(series=series, user=user)
    body = client.get(feed_url(issue_feed_token(user=user)))
    written = [item for item in vevents(body) if "with registration" in str(item["SUMMARY"])]
    assert len(written) == 1
    assert str(written[0]["STATUS"]) == "CONFIRMED"
    assert "RECURRENCE-ID" in written[0]


def test_following_series_keeps_the_feed_to_a_fixed_number_of_queries(
    client, world, make_event, django_assert_num_queries, django_user_model
):
    from escape_events.events.models import Series
    from escape_events.registrations.services import follow_series

    user = world["user"]
    url = feed_url(issue_feed_token(user=user))
    for number in range(5):
        series = Series.objects.create(
            title=f"Series {number}",
            slug=f"series-{number}",
            first_start=world["now"],
            duration=timedelta(hours=1),
            rrule="FREQ=WEEKLY",
            time_zone="Europe/Zurich",
        )
        follow_series(series=series, user=user)
    # token, site version, registrations, follows; followed series, their stored meetings
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.count(b"RRULE") == 5
