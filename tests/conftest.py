"""Shared fixtures: small factories for events and series; PostgreSQL and Chromium gates."""

import os
import zoneinfo
from datetime import datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone, translation

from escape_events.events.models import Event, Series, Venue
from escape_events.registrations.models import RegistrationSettings

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")


def pytest_collection_modifyitems(config, items):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    no_pg = pytest.mark.skip(reason="needs PostgreSQL: run `make test` with a server reachable")
    no_browser = pytest.mark.skip(reason="needs Chromium: apt-get install chromium")
    has_browser = bool(os.environ.get("CHROMIUM_PATH"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(no_pg)
        if "browser" in item.keywords and not has_browser:
            item.add_marker(no_browser)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's default language: LocaleMiddleware activates a request's
    language in the thread and nothing resets it, so a French request would make the next test's
    mail or template French."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty local cache: what one test cached (a privacy notice, who
    organises what) names rows the next test's database does not have."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


@pytest.fixture
def venue(db):
    return Venue.objects.create(name="CERN", room="Council Chamber", address="Meyrin")


@pytest.fixture
def make_event(db):
    counter = iter(range(1, 1_000_000))

    def make(**fields):
        number = next(counter)
        start = fields.pop("start", datetime(2030, 3, 4, 14, 0, tzinfo=ZURICH))
        values = {
            "title": f"Event {number}",
            "slug": f"event-{number}",
            "start": start,
            "end": start + timedelta(hours=2),
            "time_zone": "Europe/Zurich",
        }
        values.update(fields)
        return Event.objects.create(**values)

    return make


@pytest.fixture
def wp2_series(db):
    """The WP2 meeting: 2nd and 4th Wednesday at 14:00 Zurich from 25 Sep 2019."""
    return Series.objects.create(
        title="ESCAPE WP2 fortnightly meeting",
        slug="escape-wp2-meeting",
        first_start=datetime(2019, 9, 25, 14, 0, tzinfo=ZURICH),
        duration=timedelta(minutes=90),
        rrule="FREQ=MONTHLY;BYDAY=2WE,4WE",
        time_zone="Europe/Zurich",
    )


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Tests make many users: a fast hasher keeps the whole suite quick (never in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads made by tests land in a temporary folder, never in the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def content_versions_change_within_the_test(request):
    """On PostgreSQL the content versions change when a transaction commits (a deferred
    trigger). Tests run inside a transaction that is rolled back, never committed: there they
    change at each statement instead. Tests with real commits (transaction=True) keep the
    production behaviour."""
    if "_django_db_helper" not in request.fixturenames:
        return
    request.getfixturevalue("_django_db_helper")
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        from escape_events.core.version_triggers import constraint_names

        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {', '.join(constraint_names())} IMMEDIATE")


@pytest.fixture
def give_agenda(db):
    """Fill an event's agenda: `count` talks of 10 minutes from its start, each with a speaker,
    in one session with a convener (so every query an agenda can need is made)."""
    from escape_events.timetable import services

    def give(event, count=3):
        session = services.add_session(
            event=event,
            values={"title": f"Session of {event.slug}"},
            conveners=[services.Person("Chair", "CERN")],
        )
        return [
            services.add_entry(
                event=event,
                values={
                    "start": event.start + timedelta(minutes=10 * number),
                    "end": event.start + timedelta(minutes=10 * (number + 1)),
                    "title": f"Talk {number + 1}",
                    "session": session,
                },
                speakers=[services.Person(f"Speaker {number + 1}", "PIC")],
            )
            for number in range(count)
        ]

    return give


@pytest.fixture
def redis_cache(settings):
    """The shared cache on a real Redis (REDIS_TEST_URL), emptied before and after; skipped
    with a note when no Redis answers. Gives a client to look at the keys."""
    import redis

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {url} (set REDIS_TEST_URL)")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "escape-events-test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield redis.Redis.from_url(url)
    cache.clear()


@pytest.fixture
def without_event_locks(monkeypatch):
    """Switch the one event lock off (`events.locking.lock_events` locks nothing), for the
    control race tests that show the lock is what keeps them right."""
    from escape_events.events import locking

    monkeypatch.setattr(locking, "lock_events", lambda event_ids: sorted(set(event_ids)))


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 1_000_000))

    def make(*, verified=True, **fields):
        number = next(counter)
        email = fields.pop("email", f"person{number}@example.org")
        user = get_user_model().objects.create_user(
            username=fields.pop("username", f"person{number}"),
            email=email,
            password="a-long-test-password",
            first_name=fields.pop("first_name", f"Person{number}"),
            last_name=fields.pop("last_name", "Tester"),
            **fields,
        )
        EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        return user

    return make


@pytest.fixture
def make_registrable(make_event):
    """An event in the future with registration open now; capacities as given."""

    def make(*, onsite=10, remote=None, event_fields=None, **settings_fields):
        now = timezone.now()
        start = now + timedelta(days=30)
        event = make_event(start=start, end=start + timedelta(hours=3), **(event_fields or {}))
        RegistrationSettings.objects.create(
            event=event,
            opens_at=now - timedelta(days=1),
            onsite_capacity=onsite,
            remote_capacity=remote,
            **settings_fields,
        )
        return event

    return make


@pytest.fixture
def person(make_user, client):
    """Someone with a confirmed address, signed in on the test client."""
    user = make_user()
    client.force_login(user)
    return user
