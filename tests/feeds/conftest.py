"""A small world for feed tests: the WP2 series with exceptions, events of several kinds, a user."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from escape_events.events.models import Kind, Venue
from escape_events.registrations.models import Registration
from tests.calendars.scenarios import ZURICH, wp2_with_exceptions

TRICKY_TITLE = "Réunion, Zürich; data\\lake: 東京 ✓"
TRICKY_SUMMARY = "Line one, with comma; semicolon\\backslash\nLine two: Ærø — ñ"


@pytest.fixture
def world(make_event, wp2_series, django_user_model):
    now = timezone.now()
    cern = Venue.objects.create(
        name="CERN",
        room="Council Chamber",
        address="Meyrin",
        latitude="46.2333",
        longitude="6.0557",
    )
    stored = wp2_with_exceptions(wp2_series)
    upcoming = make_event(
        title=TRICKY_TITLE,
        summary=TRICKY_SUMMARY,
        kind=Kind.HANDS_ON,
        venue=cern,
        start=now + timedelta(days=30),
        online_url="https://meet.example/hands-on",
        contact_email="chair@example.org",
    )
    workshop = make_event(
        title="SWAN users' workshop",
        kind=Kind.WORKSHOP,
        all_day=True,
        start=datetime(2030, 10, 11, tzinfo=ZURICH),
        end=datetime(2030, 10, 12, tzinfo=ZURICH),
        venue=cern,
    )
    recent = make_event(title="Recent lecture", kind=Kind.LECTURE, start=now - timedelta(days=60))
    old = make_event(title="Old lecture", kind=Kind.LECTURE, start=now - timedelta(days=500))
    cancelled = make_event(
        title="Cancelled camp",
        kind=Kind.CODING_CAMP,
        status="cancelled",
        sequence=1,
        start=now + timedelta(days=40),
    )
    hidden = make_event(title="Unlisted", is_listed=False, start=now + timedelta(days=10))
    user = django_user_model.objects.create_user(
        username="ada", email="ada@example.org", password=None, first_name="Ada"
    )
    return {
        "now": now,
        "series": wp2_series,
        "stored": stored,
        "upcoming": upcoming,
        "workshop": workshop,
        "recent": recent,
        "old": old,
        "cancelled": cancelled,
        "hidden": hidden,
        "user": user,
    }


@pytest.fixture
def register():
    def make(event, user, *, mode=Registration.Mode.ONSITE, status=Registration.Status.CONFIRMED):
        extra = {"waiting_since": timezone.now()} if status == Registration.Status.WAITING else {}
        return Registration.objects.create(
            event=event, user=user, mode=mode, status=status, **extra
        )

    return make
