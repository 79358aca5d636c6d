"""Content versions: which writes change which version (however they are made), read in one
query each, and what an agenda edit on one event invalidates."""

import threading
import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from escape_events.accounts.models import PrivacyNotice
from escape_events.core import content_version, version_triggers
from escape_events.core.models import ContentVersion
from escape_events.core.version_triggers import VERSIONED_APPS, VERSIONED_MODELS, installed_on
from escape_events.events.models import Event, Series, Venue
from escape_events.registrations.models import Question, RegistrationSettings
from escape_events.timetable.models import Entry, Material, Session, Speaker

pytestmark = pytest.mark.django_db


def test_every_table_of_a_versioned_app_or_model_carries_the_trigger():
    """A model added to events or timetable (or a many-to-many field added to a listed model)
    is versioned without anyone listing it; registrations themselves are not versioned."""
    tables = {
        model._meta.db_table
        for label in VERSIONED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    for label in VERSIONED_MODELS:
        meta = apps.get_model(label)._meta
        tables |= {meta.db_table} | {field.m2m_db_table() for field in meta.many_to_many}
    assert "registrations_registrationsettings_restricted_to_groups" in tables
    assert "events_event_colocated_with" in tables
    installed = installed_on()
    assert tables - installed == set()
    assert "registrations_registration" not in installed


@pytest.fixture
def two_events(make_event, give_agenda, venue):
    first, second = make_event(venue=venue), make_event(venue=venue)
    give_agenda(first, 2)
    give_agenda(second, 2)
    return first, second


def _versions(*events) -> dict:
    return {"site": content_version.current()} | {
        event.pk: content_version.for_event(event.pk) for event in events
    }


def _changed(before: dict, after: dict) -> set:
    return {key for key in before if before[key] != after[key]}


def _rename_talk(event):
    Entry.objects.filter(event=event).update(title="Renamed talk")


def _rename_speaker(event):
    Speaker.objects.filter(entry__event=event).update(name="Grace Hopper")


def _add_material(event):
    Material.objects.create(
        event=event, entry=Entry.objects.filter(event=event).first(), url="https://x.org"
    )


def _delete_session(event):
    Session.objects.filter(event=event).delete()


def _ask_a_question(event):
    Question.objects.create(event=event, label="Experiment?")


EVENT_WRITES = {
    "talk renamed by update()": _rename_talk,
    "speaker renamed by update()": _rename_speaker,
    "material added": _add_material,
    "session deleted": _delete_session,
    "question asked": _ask_a_question,
    "event edited by update()": lambda event: Event.objects.filter(pk=event.pk).update(
        title="Renamed"
    ),
}


@pytest.mark.parametrize("write", EVENT_WRITES)
def test_a_write_to_one_event_changes_its_version_and_the_sites_only(two_events, write):
    first, second = two_events
    before = _versions(first, second)
    EVENT_WRITES[write](first)
    assert _changed(before, _versions(first, second)) == {"site", first.pk}


def test_the_groups_a_registration_admits_are_versioned(two_events):
    first, second = two_events
    settings = RegistrationSettings.objects.create(event=first, opens_at=timezone.now())
    group = Group.objects.create(name="escape-wp2")
    before = _versions(first, second)
    settings.restricted_to_groups.add(group)
    assert _changed(before, _versions(first, second)) == {"site", first.pk}


SHARED_WRITES = {
    "venue": lambda event: Venue.objects.filter(pk=event.venue_id).update(room="Room 2"),
    "series": lambda event: Series.objects.update(title="Renamed series"),
    "privacy notice": lambda event: PrivacyNotice.objects.create(
        version=99, text="New", published_at=timezone.now()
    ),
}


@pytest.mark.parametrize("write", SHARED_WRITES)
def test_a_shared_row_changes_every_events_version(two_events, wp2_series, write):
    first, second = two_events
    before = _versions(first, second)
    SHARED_WRITES[write](first)
    assert _changed(before, _versions(first, second)) == {"site", first.pk, second.pk}


def test_a_colocated_events_change_reaches_its_partners_page(two_events, make_event):
    first, second = two_events
    third = make_event()
    first.colocated_with.add(second)
    before = _versions(first, second, third)
    Event.objects.filter(pk=second.pk).update(title="Renamed partner")
    assert _changed(before, _versions(first, second, third)) == {"site", first.pk, second.pk}


@pytest.mark.parametrize(("keyed_on", "invalidated"), [("its event", 2), ("one version", 21)])
def test_an_agenda_edit_invalidates_one_event_and_the_lists(
    make_event, give_agenda, keyed_on, invalidated
):
    """20 event pages and the lists: an agenda edit on one event changes the keys of that
    event's page and feeds and of the lists (2 keys); keyed on one version for everything, as
    before, it changed them all (21)."""
    events = [make_event() for _ in range(20)]
    give_agenda(events[7], 2)

    def keys() -> dict:
        page = (
            content_version.for_event
            if keyed_on == "its event"
            else (lambda event_id: content_version.current())
        )
        return {"lists": content_version.current()} | {event.pk: page(event.pk) for event in events}

    before = keys()
    Speaker.objects.filter(entry__event=events[7]).update(name="Grace Hopper")
    assert len(_changed(before, keys())) == invalidated


def test_each_version_is_read_in_one_query(two_events, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert content_version.current()
    with django_assert_num_queries(1):
        assert content_version.for_event(two_events[0].pk)


def test_an_event_unchanged_since_versioning_began_has_a_version_that_moves_on(two_events):
    first, _ = two_events
    ContentVersion.objects.filter(scope=f"event:{first.pk}").delete()
    unchanged = content_version.for_event(first.pk)
    assert unchanged is not None
    _rename_talk(first)
    assert content_version.for_event(first.pk) not in {None, unchanged}


def _read_with_the_event(event) -> str | None:
    return content_version.of_event(
        content_version.with_event_tokens(Event.objects.filter(pk=event.pk)).get()
    )


def test_the_version_read_with_the_event_is_the_one_read_alone(two_events):
    """Pages read the version in the event's own statement; feeds and tests read it alone."""
    first, second = two_events
    ContentVersion.objects.filter(scope=f"event:{first.pk}").delete()  # unchanged since
    before = _read_with_the_event(first)
    assert before == content_version.for_event(first.pk) is not None
    _rename_talk(first)
    assert _read_with_the_event(first) == content_version.for_event(first.pk) != before
    assert _read_with_the_event(second) == content_version.for_event(second.pk)
    ContentVersion.objects.all().delete()  # versions not started: do not cache
    assert _read_with_the_event(first) is None


@pytest.fixture
def reads_in_autocommit(monkeypatch):
    """Whether each content version read so far was made outside any transaction."""
    reads = []

    def spying(made):
        def spy(*args, **kwargs):
            reads.append(transaction.get_autocommit())
            return made(*args, **kwargs)

        return spy

    # `of_event` makes the version an event's own statement read just before (the event page).
    for name in ("read", "of_event"):
        monkeypatch.setattr(content_version, name, spying(getattr(content_version, name)))
    return reads


@pytest.mark.django_db(transaction=True)
def test_every_page_and_feed_that_caches_reads_its_version_outside_a_transaction(
    client, make_registrable, make_user, wp2_series, reads_in_autocommit
):
    """Inside a transaction that wrote, the version does not yet name its writes (on
    PostgreSQL it changes at commit): a page kept under it could show what is rolled back. No
    page or feed does that, as long as no view runs inside a transaction (ATOMIC_REQUESTS)."""
    from escape_events.feeds.services import issue_feed_token

    event = make_registrable()
    person = make_user()
    token = issue_feed_token(user=person)
    client.force_login(person)
    urls = [
        event.get_absolute_url(),
        reverse("feeds:all"),
        reverse("feeds:kind", kwargs={"kind": event.kind}),
        reverse("feeds:series", kwargs={"slug": wp2_series.slug}),
        reverse("feeds:event", kwargs={"slug": event.slug}),
        reverse("feeds:timetable", kwargs={"slug": event.slug}),
        reverse("feeds:personal", kwargs={"token": token}),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    refused = client.post(reverse("site:register", args=[event.slug]), {"attend": "onsite"})
    assert refused.status_code == 400  # the page again, with the form's errors
    assert reads_in_autocommit == [True] * (len(urls) + 1)
    with transaction.atomic():  # the control: a view inside a transaction is caught
        client.get(event.get_absolute_url())
    assert reads_in_autocommit[-1] is False


def test_last_modified_is_when_the_version_changed(two_events):
    first, _ = two_events
    before = timezone.now() - timedelta(milliseconds=1)  # SQLite keeps milliseconds
    _rename_talk(first)
    site, event = content_version.read(), content_version.read(event_ids=[first.pk])
    assert before <= site.changed_at <= timezone.now() + timedelta(seconds=1)
    assert event.changed_at == ContentVersion.objects.get(scope=f"event:{first.pk}").changed_at


# PostgreSQL: the triggers run at commit; writers of different events do not wait on each other.


def _in_thread(work):
    """Runs `work` on a connection of its own; returns the thread and what it raised."""
    errors = []

    def run():
        try:
            work()
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_writer_of_one_event_never_waits_for_a_writer_of_another(two_events):
    first, second = two_events
    before = _versions(first, second)
    written, may_commit = threading.Event(), threading.Event()

    def slow_organiser():
        with transaction.atomic():
            _rename_speaker(first)
            written.set()
            may_commit.wait(timeout=20)

    thread, errors = _in_thread(slow_organiser)
    try:
        assert written.wait(timeout=20)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
            _rename_speaker(second)
        assert _changed(before, _versions(first, second)) == {"site", second.pk}
    finally:
        may_commit.set()
        thread.join(timeout=20)
    assert errors == []
    assert _changed(before, _versions(first, second)) == {"site", first.pk, second.pk}


def _opposite_writers(first, second) -> list[Exception]:
    """Two transactions write to both events in opposite orders, in a fixed interleaving: A
    writes the first event; then B writes the second; a moment later (B waits for a lock, or
    holds the second event's row) A writes the second event. Their triggers run at once (SET
    CONSTRAINTS ALL IMMEDIATE), so the locks are taken in that order rather than at two commits
    that may or may not meet. What they raised."""
    entries = {event.pk: Entry.objects.filter(event=event).first() for event in (first, second)}
    a_wrote, b_writes = threading.Event(), threading.Event()

    def write(event):
        Speaker.objects.create(entry=entries[event.pk], name="Guest")

    def a():
        with transaction.atomic():
            connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
            write(first)
            a_wrote.set()
            b_writes.wait(timeout=20)
            time.sleep(0.5)  # B's statement is running: it holds or waits for its locks
            write(second)

    def b():
        a_wrote.wait(timeout=20)
        with transaction.atomic():
            connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
            b_writes.set()
            write(second)
            write(first)

    threads = [_in_thread(a), _in_thread(b)]
    raised = []
    for thread, errors in threads:
        thread.join(timeout=30)
        raised += errors
    return raised


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_writers_of_the_same_events_in_opposite_orders_both_commit(two_events):
    """Each trigger takes the site row first (at commit, or at once as here), so neither writer
    holds an event's row the other waits for."""
    assert _opposite_writers(*two_events) == []
    assert Speaker.objects.filter(name="Guest").count() == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_the_site_row_first_the_same_writers_deadlock(two_events, monkeypatch):
    """The control: triggers that write the events' rows before the site row deadlock."""
    written_first = version_triggers._bump_statements
    monkeypatch.setattr(
        version_triggers,
        "_bump_statements",
        lambda *args, **kwargs: written_first(*args, **kwargs)[::-1],
    )
    version_triggers.install()
    try:
        raised = _opposite_writers(*two_events)
    finally:
        monkeypatch.undo()
        version_triggers.install()
    assert any("deadlock detected" in str(error) for error in raised)
