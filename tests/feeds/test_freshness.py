"""Feeds are never stale: any change to what a feed shows changes its ETag and its body, however
the change is made (services, the admin, `QuerySet.update`, raw SQL, deletion), and answering a
conditional or cached request costs one query whatever the number of events."""

import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

from escape_events.core.models import ContentVersion
from escape_events.events.models import Event, Series, Venue
from escape_events.feeds.services import issue_feed_token
from escape_events.registrations.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def _rename_by_update(world):
    Event.objects.filter(pk=world["upcoming"].pk).update(title="Renamed quietly")
    return "Renamed quietly", True


def _unlist_by_update(world):
    Event.objects.filter(pk=world["upcoming"].pk).update(is_listed=False)
    return world["upcoming"].title, False


def _delete(world):
    Event.objects.filter(pk=world["recent"].pk).delete()
    return world["recent"].title, False


def _venue_by_update(world):
    Venue.objects.filter(pk=world["upcoming"].venue_id).update(room="Main Auditorium")
    return "Main Auditorium", True


def _series_by_update(world):
    Series.objects.filter(pk=world["series"].pk).update(title="WP2 data-lake meeting")
    return "WP2 data-lake meeting", True


def _meeting_cancelled_by_update(world):
    Event.objects.filter(pk=world["stored"]["extra"].pk).update(status="cancelled")
    return "ESCAPE WP2 meeting, 4 Sep 2019", False


def _new_event_in_bulk(world):
    Event.objects.bulk_create(
        [
            Event(
                title="Bulk-made lecture",
                slug="bulk-made",
                start=timezone.now() + timedelta(days=3),
                end=timezone.now() + timedelta(days=3, hours=1),
            )
        ]
    )
    return "Bulk-made lecture", True


def _raw_sql(world):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE events_event SET title = %s WHERE id = %s",
            ["Edited in SQL", world["workshop"].pk],
        )
    return "Edited in SQL", True


CHANGES = {
    "rename by update()": _rename_by_update,
    "unlist by update()": _unlist_by_update,
    "hard delete": _delete,
    "venue by update()": _venue_by_update,
    "series by update()": _series_by_update,
    "meeting cancelled by update()": _meeting_cancelled_by_update,
    "event made by bulk_create()": _new_event_in_bulk,
    "raw SQL": _raw_sql,
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_what_the_all_feed_shows_changes_its_answer(client, world, change):
    url = reverse("feeds:all")
    first = client.get(url)
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    text, shown = CHANGES[change](world)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert (text in again.content.decode()) is shown
    assert again.content == client.get(url).content  # the new body is kept and served again


def test_moving_a_meeting_by_update_changes_the_series_feed(client, world):
    url = reverse("feeds:series", kwargs={"slug": world["series"].slug})
    first = client.get(url)
    moved = world["stored"]["moved"]
    Event.objects.filter(pk=moved.pk).update(
        start=moved.start + timedelta(hours=2), end=moved.end + timedelta(hours=2)
    )
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert "DTSTART;TZID=Europe/Zurich:20191024T170000" in again.content.decode()


def test_a_deletion_is_news_to_if_modified_since(client, world):
    """Deleting rows moves Last-Modified on, though no remaining row was edited."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    for model in (Event, Series, Venue):
        model.objects.update(updated_at=an_hour_ago)
    ContentVersion.objects.update(changed_at=an_hour_ago)  # the last change, an hour ago
    url = reverse("feeds:all")
    first = client.get(url)
    Event.objects.filter(pk=world["recent"].pk).delete()
    again = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 200
    assert world["recent"].title not in again.content.decode()
    assert parse_http_date(again["Last-Modified"]) > parse_http_date(first["Last-Modified"])


@pytest.mark.parametrize("what", ["talk title", "speaker", "convener"])
def test_an_agenda_change_by_update_changes_the_feeds_that_show_it(
    client, world, register, give_agenda, what
):
    entry = give_agenda(world["upcoming"], 1)[0]
    register(world["upcoming"], world["user"])
    urls = [reverse("feeds:all"), _personal(client, world["user"])]
    first = [client.get(url) for url in urls]
    if what == "talk title":
        type(entry).objects.filter(pk=entry.pk).update(title="Rucio in depth")
        text = "Rucio in depth"
    elif what == "speaker":
        entry.speakers.update(name="Grace Hopper")
        text = "Grace Hopper"
    else:
        entry.session.conveners.update(name="Barbara Liskov")
        text = "Barbara Liskov"
    for url, before in zip(urls, first, strict=True):
        again = client.get(url, headers={"If-None-Match": before["ETag"]})
        assert again.status_code == 200
        assert text in again.content.decode().replace("\r\n ", "")


@pytest.mark.parametrize("more_events", [0, 60])
def test_conditional_and_cached_requests_take_one_query_whatever_the_number_of_events(
    client, world, make_event, more_events, django_assert_num_queries
):
    for number in range(more_events):
        make_event(title=f"Talk {number}", start=timezone.now() + timedelta(days=number))
    url = reverse("feeds:all")
    first = client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    with django_assert_num_queries(1):
        assert client.get(url).content == first.content


# The personal feed: the user's registrations, and the events they are for.


def _personal(client, user):
    return reverse("feeds:personal", kwargs={"token": issue_feed_token(user=user)})


def _confirm_by_update(world, registration):
    Registration.objects.filter(pk=registration.pk).update(status="confirmed")
    return "STATUS:CONFIRMED", True


def _switch_to_remote_by_update(world, registration):
    Registration.objects.filter(pk=registration.pk).update(mode="remote", status="confirmed")
    return "meet.example/hands-on", True


def _event_renamed_by_update(world, registration):
    Event.objects.filter(pk=registration.event_id).update(title="Hands-on renamed")
    return "Hands-on renamed", True


def _venue_moved_by_update(world, registration):
    Venue.objects.filter(pk=world["upcoming"].venue_id).update(address="Route de Meyrin 385")
    return "Route de Meyrin 385", True


def _registration_deleted(world, registration):
    Registration.objects.filter(pk=registration.pk).delete()
    return world["upcoming"].title, False


def _another_registration(world, registration):
    Registration.objects.create(
        event=world["workshop"], user=registration.user, mode="onsite", status="confirmed"
    )
    return world["workshop"].title, True


PERSONAL_CHANGES = {
    "confirmed by update()": _confirm_by_update,
    "switched to remote by update()": _switch_to_remote_by_update,
    "event renamed by update()": _event_renamed_by_update,
    "venue moved by update()": _venue_moved_by_update,
    "registration deleted": _registration_deleted,
    "another registration": _another_registration,
}


@pytest.mark.parametrize("change", PERSONAL_CHANGES)
def test_any_change_to_what_the_personal_feed_shows_changes_its_answer(
    client, world, register, change
):
    registration = register(world["upcoming"], world["user"], status="waiting")
    url = _personal(client, world["user"])
    first = client.get(url)
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    text, shown = PERSONAL_CHANGES[change](world, registration)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert (text in again.content.decode()) is shown


def test_someone_elses_registration_leaves_my_feed_alone(client, world, register, make_event):
    register(world["upcoming"], world["user"])
    url = _personal(client, world["user"])
    first = client.get(url)
    other = type(world["user"]).objects.create_user(username="bo", email="bo@example.org")
    register(world["workshop"], other)
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_version_changes_at_commit_and_never_holds_up_other_writers(client, world):
    """An organiser's open transaction neither shows early nor makes another organiser wait;
    its change is in the feed as soon as it commits."""
    url = reverse("feeds:all")
    first = client.get(url)
    changed, may_commit, done = threading.Event(), threading.Event(), threading.Event()

    def slow_organiser():
        try:
            with transaction.atomic():
                Event.objects.filter(pk=world["upcoming"].pk).update(title="Slowly renamed")
                changed.set()
                may_commit.wait(timeout=20)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=slow_organiser)
    thread.start()
    try:
        assert changed.wait(timeout=20)
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
        with transaction.atomic(), connection.cursor() as cursor:  # another writer, not queued
            cursor.execute("SET LOCAL lock_timeout = '2s'")
            Venue.objects.filter(pk=world["upcoming"].venue_id).update(room="Room 2")
        second = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert second.status_code == 200 and "Room 2" in second.content.decode()
        assert "Slowly renamed" not in second.content.decode()
    finally:
        may_commit.set()
        thread.join(timeout=20)
    assert done.is_set()
    third = client.get(url, headers={"If-None-Match": second["ETag"]})
    assert third.status_code == 200 and "Slowly renamed" in third.content.decode()


def test_a_series_or_event_feed_is_kept_through_an_edit_elsewhere(client, world, give_agenda):
    """Their versions are their own: an agenda edit on another event leaves them answered
    304; an edit of what they show does not."""
    other = give_agenda(world["workshop"], 1)[0]
    urls = {
        "series": reverse("feeds:series", kwargs={"slug": world["series"].slug}),
        "event": reverse("feeds:event", kwargs={"slug": world["upcoming"].slug}),
        "timetable": reverse("feeds:timetable", kwargs={"slug": world["upcoming"].slug}),
    }
    first = {name: client.get(url)["ETag"] for name, url in urls.items()}
    type(other).objects.filter(pk=other.pk).update(title="Elsewhere")
    for name, url in urls.items():
        assert client.get(url, headers={"If-None-Match": first[name]}).status_code == 304, name
    Event.objects.filter(pk=world["stored"]["moved"].pk).update(title="Moved meeting renamed")
    give_agenda(world["upcoming"], 1)
    for name, url in urls.items():
        again = client.get(url, headers={"If-None-Match": first[name]})
        assert again.status_code == 200, name
