"""The overview chart: both lines visible, the axis ending today, and a legend counting what
the cards beside it count."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escape_events.organisers.charts import registrations_chart
from escape_events.registrations.models import Registration

pytestmark = pytest.mark.django_db

LABELS = dict(Registration.Mode.choices)
Status = Registration.Status


def polylines(svg: str) -> list[str]:
    return re.findall(r"<polyline [^>]*>", svg)


def test_two_lines_with_the_same_numbers_both_stay_visible():
    same = [(date(2030, 1, 1), 2), (date(2030, 1, 3), 1)]
    svg = registrations_chart({"onsite": same, "remote": same}, LABELS, until=date(2030, 1, 5))
    first, second = polylines(svg)
    assert 'stroke-dasharray="none"' in first and 'stroke-dasharray="7 5"' in second
    labels = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" class="end-label"', svg)]
    assert abs(labels[0] - labels[1]) >= 14  # the two end numbers do not print over each other


def test_a_mode_offered_without_registrations_is_a_flat_line_at_zero():
    svg = registrations_chart(
        {"onsite": [(date(2030, 1, 1), 3)], "remote": []}, LABELS, until=date(2030, 1, 2)
    )
    assert len(polylines(svg)) == 2
    assert "Remote: 0</li>" in svg


def test_the_axis_ends_on_the_day_given():
    svg = registrations_chart({"onsite": [(date(2030, 1, 1), 1)]}, LABELS, until=date(2030, 3, 1))
    assert "from 1 Jan 2030 to 1 Mar 2030" in svg
    assert re.findall(r'class="tick" text-anchor="middle">([^<]+)<', svg)[-1] == "1 Mar"


def test_overview_chart_counts_what_the_cards_count_and_ends_today(
    client, organiser, hands_on, register
):
    for status in (Status.CONFIRMED, Status.WAITING, Status.PENDING, Status.CANCELLED):
        register(hands_on, status=status)
    register(hands_on, mode=Registration.Mode.REMOTE, status=Status.REJECTED)
    client.force_login(organiser)
    response = client.get(reverse("organisers:event_overview", args=[hands_on.slug]))
    html = response.content.decode()
    onsite = next(mode for mode in response.context["counts"] if mode.mode == "onsite")
    held = sum(
        onsite.count(status) for status in (Status.CONFIRMED, Status.WAITING, Status.PENDING)
    )
    assert f"On-site: {held}</li>" in html and held == 3  # the cancelled one is left out
    assert "Remote: 0</li>" in html  # offered, nobody holds a remote place
    today = timezone.localdate(timezone.now(), hands_on.zone)
    assert f"to {today.day} {today:%b %Y}" in html


def test_the_chart_of_a_past_event_ends_on_its_last_day(client, organiser, hands_on, register):
    start = timezone.now() - timedelta(days=40)
    Registration.objects.filter(pk=register(hands_on).pk).update(
        created_at=start - timedelta(days=10)
    )
    hands_on.start, hands_on.end = start, start + timedelta(hours=3)
    hands_on.save()
    client.force_login(organiser)
    html = client.get(reverse("organisers:event_overview", args=[hands_on.slug])).content.decode()
    last = hands_on.last_day
    assert f"to {last.day} {last:%b %Y}" in html
