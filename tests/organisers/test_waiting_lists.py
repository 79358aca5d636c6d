"""Organisers see every waiting list, including people who hold a remote place while they wait
for on-site: in the counts, the dashboard, the status filter, the list (with the position),
the exports and the messages."""

import csv
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from escape_events.registrations import services
from escape_events.registrations.availability import with_waiting_positions
from escape_events.registrations.models import Registration

Mode = Registration.Mode
Status = Registration.Status


def verified(person):
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


@pytest.fixture
def remote_while_waiting(hands_on, make_person):
    """On-site (2 seats) is full; Wendy takes remote now and stays on the on-site list."""
    for _ in range(2):
        services.register(event=hands_on, user=verified(make_person()), mode=Mode.ONSITE)
    wendy = verified(make_person(first_name="Wendy", last_name="Waits"))
    registration, _ = services.register(
        event=hands_on, user=wendy, mode=Mode.REMOTE, wait_for_mode=Mode.ONSITE
    )
    assert (registration.status, registration.waiting_for_mode) == (Status.CONFIRMED, Mode.ONSITE)
    return registration


def test_overview_and_dashboard_count_her_as_waiting(
    client, organiser, hands_on, remote_while_waiting
):
    client.force_login(organiser)
    page = client.get(reverse("organisers:event_overview", args=[hands_on.slug])).content.decode()
    onsite_card = page[page.index('id="mode-onsite"') : page.index('id="mode-remote"')]
    assert re.search(r"<dt>Waiting</dt><dd>1\b", onsite_card)
    assert "Of the 1 waiting, 1 holds a remote place meanwhile." in onsite_card
    dashboard = client.get(reverse("organisers:dashboard")).content.decode()
    row = dashboard[dashboard.index("SWAN hands-on") :]
    cells = re.findall(r'<td class="num">(\d+)</td>', row)[:3]
    assert cells == ["3", "1", "0"]  # confirmed (two on-site, Wendy remote), waiting, pending


@pytest.mark.parametrize("query", [{"status": "waiting"}, {"status": "waiting", "mode": "onsite"}])
def test_the_waiting_filter_finds_her_with_her_position(
    client, organiser, hands_on, remote_while_waiting, query
):
    client.force_login(organiser)
    response = client.get(reverse("organisers:participants", args=[hands_on.slug]), query)
    assert [str(row.user) for row in response.context["page"]] == ["Wendy Waits"]
    assert "waiting for on-site, number 1" in response.content.decode()


def test_the_remote_waiting_list_does_not_list_her(
    client, organiser, hands_on, remote_while_waiting
):
    client.force_login(organiser)
    query = {"status": "waiting", "mode": "remote"}
    response = client.get(reverse("organisers:participants", args=[hands_on.slug]), query)
    assert list(response.context["page"]) == []


def test_the_export_of_the_waiting_filter_holds_her_and_her_place(
    client, organiser, hands_on, remote_while_waiting
):
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:participant_export", args=[hands_on.slug]),
        {"status": "waiting", "format": "csv", "columns": ["name", "status", "waiting_list"]},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == [
        ["Name", "Status", "Waiting list"],
        ["Wendy Waits", "Confirmed", "On-site, number 1"],
    ]


def test_a_message_to_the_waiting_filter_reaches_her(
    client, organiser, hands_on, remote_while_waiting
):
    client.force_login(organiser)
    url = reverse("organisers:message_compose", args=[hands_on.slug]) + "?status=waiting"
    assert client.get(url).context["recipient_count"] == 1


def test_the_export_numbers_every_line_as_the_list_does(
    client, organiser, hands_on, remote_while_waiting, make_person
):
    """The export counts each line once, up front; the list counts per row: both agree."""
    for _ in range(3):
        services.register(event=hands_on, user=verified(make_person()), mode=Mode.ONSITE)
    listed = with_waiting_positions(Registration.objects.filter(event=hands_on))
    expected = [
        ["Name", "Waiting list"],
        *(
            [
                row.user.get_full_name(),
                f"On-site, number {row.waiting_position}" * bool(row.waiting_position),
            ]
            for row in listed.select_related("user").order_by("created_at", "pk")
        ),
    ]
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:participant_export", args=[hands_on.slug]),
        {"format": "csv", "columns": ["name", "waiting_list"], "sort": "registered"},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows == expected
    assert [row[1] for row in rows[1:]].count("") == 2  # the two seated on-site wait for nothing
