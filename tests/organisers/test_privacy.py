"""What organisers see of the retention period and the purge: overview, setting, list, export."""

import csv
import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from escape_events.organisers.models import ExportLog
from escape_events.registrations.models import Registration, RegistrationSettings
from escape_events.registrations.services import purge_due_registrations

Status = Registration.Status


@pytest.fixture
def filled(hands_on, register):
    register(hands_on, answer="ATLAS", checked_in_at=hands_on.start)
    register(hands_on, answer="CMS", mode=Registration.Mode.REMOTE)
    register(hands_on, status=Status.WAITING)
    return hands_on


@pytest.fixture
def purged(filled):
    """The event a year and a day after it ended, once the nightly job ran."""
    with time_machine.travel(filled.end + timedelta(days=366), tick=False):
        assert len(purge_due_registrations()) == 1
    return filled


def overview(client, event):
    return client.get(reverse("organisers:event_overview", args=[event.slug])).content.decode()


def test_the_overview_says_when_data_go_and_what_stays(client, organiser, filled):
    client.force_login(organiser)
    page = overview(client, filled)
    purge_day = filled.end + timedelta(days=365)
    assert "are <strong>removed on" in page
    assert f"{purge_day:%B %Y}" in page
    assert "12 months after the event ends (the site's period)" in page
    assert "What stays: the counts per mode and status above, check-ins and the chart" in page


def test_organisers_shorten_the_period_on_the_overview(client, organiser, filled):
    client.force_login(organiser)
    url = reverse("organisers:event_retention", args=[filled.slug])
    assert client.post(url, {"months": "3"}).status_code == 302
    assert RegistrationSettings.objects.get(event=filled).retention_months == 3
    assert "shortened from the site's 12" in overview(client, filled)
    response = client.post(url, {"months": "24"}, follow=True)
    assert "Not saved: At most the site&#x27;s period, 12 months" in response.content.decode()
    client.post(url, {"months": "abc"})
    assert RegistrationSettings.objects.get(event=filled).retention_months == 3
    client.post(url, {"months": ""})  # back to the site's period
    assert RegistrationSettings.objects.get(event=filled).retention_months is None


def test_after_the_purge_the_overview_keeps_its_figures_and_says_what_went(
    client, organiser, filled
):
    client.force_login(organiser)
    response = client.get(reverse("organisers:event_overview", args=[filled.slug]))
    counts, chart = response.context["counts"], response.context["chart"]
    with time_machine.travel(filled.end + timedelta(days=366), tick=False):
        purge_due_registrations()
    response = client.get(reverse("organisers:event_overview", args=[filled.slug]))
    assert response.context["counts"] == counts and response.context["chart"] == chart
    page = response.content.decode()
    assert "were <strong>removed on" in page and "3 registrations, 2 answers" in page
    assert 'name="months"' not in page  # nothing left to shorten


def test_the_participant_list_of_a_purged_event_says_why_it_is_empty(client, organiser, purged):
    client.force_login(organiser)
    response = client.get(reverse("organisers:participants", args=[purged.slug]))
    page = response.content.decode()
    assert "were removed on" in page and "nobody is listed any more" in page
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize("file_format", ["csv", "json", "xlsx"])
def test_the_export_of_a_purged_event_says_so_and_gives_the_counts(
    client, organiser, purged, file_format
):
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:participant_export", args=[purged.slug]),
        {"columns": ["name", "email", "answers"], "format": file_format},
    )
    assert response.status_code == 200
    assert "counts-after-purge" in response["Content-Disposition"]
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        note, table = rows[0][0], rows[1:]
    elif file_format == "json":
        data = json.loads(body)
        note = data["note"]
        table = [["Mode", "Status", "Registrations"]] + [
            [item["mode"], item["status"], str(item["registrations"])] for item in data["counts"]
        ]
    else:
        sheet = load_workbook(io.BytesIO(body)).active
        rows = [[str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        note, table = rows[0][0], [row[:3] for row in rows[1:]]
    assert "personal data of the registrations for SWAN hands-on were removed on" in note
    assert table == [
        ["Mode", "Status", "Registrations"],
        ["On-site", "Confirmed", "1"],
        ["On-site", "Waiting list", "1"],
        ["On-site", "Checked in", "1"],
        ["Remote", "Confirmed", "1"],
    ]
    assert b"ATLAS" not in body and b"example.org" not in body
    assert ExportLog.objects.get().rows == 0


def test_people_who_deleted_their_account_are_counted_not_listed(
    client, organiser, filled, register
):
    Registration.objects.filter(event=filled, status=Status.WAITING).update(user=None)
    client.force_login(organiser)
    response = client.get(reverse("organisers:participants", args=[filled.slug]))
    assert response.context["page"].paginator.count == 2
    assert "1 registration of people who deleted their account is counted" in (
        response.content.decode()
    )
