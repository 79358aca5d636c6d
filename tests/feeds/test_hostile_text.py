"""Organiser-typed text with line breaks comes out escaped in every .ics (it used to be a 500)."""

import icalendar
import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

TITLE = "Rucio camp\r\nX-INJECTED:yes"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_a_title_with_a_line_break_is_escaped_in_the_event_calendar(client, make_event):
    event = make_event(title=TITLE)
    response = client.get(reverse("feeds:event", kwargs={"slug": event.slug}))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert "X-INJECTED" not in calendar
    assert b"\r\nX-WR-CALNAME:Rucio camp\\nX-INJECTED:yes\r\n" in response.content
    assert b"\r\nNAME:Rucio camp\\nX-INJECTED:yes\r\n" in response.content
