"""The check-in page, the QR code route, and meeting attendance."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from escape_events.events.models import MeetingAttendance
from escape_events.registrations.models import Registration


def check_in_url(event):
    return reverse("organisers:check_in", args=[event.slug])


def test_scanning_a_ticket_opens_its_event_check_in_with_the_person(
    client, organiser, hands_on, register
):
    ticket = register(hands_on)
    client.force_login(organiser)
    response = client.get(reverse("organisers:scan", args=[ticket.check_in_code]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"{check_in_url(hands_on)}?code={ticket.check_in_code}"
    assert f"Check in {ticket.user}" in page
    client.post(check_in_url(hands_on), {"code": ticket.check_in_code})
    ticket.refresh_from_db()
    assert ticket.checked_in_at is not None


def test_check_in_by_name_search_and_second_scan_warning(
    client, organiser, hands_on, register, make_person
):
    ticket = register(hands_on, person=make_person(first_name="Grace", last_name="Hopper"))
    client.force_login(organiser)
    page = client.get(check_in_url(hands_on), {"q": "hopp"}).content.decode()
    assert "Grace Hopper" in page
    first = client.post(check_in_url(hands_on), {"registration": ticket.pk}, follow=True)
    assert "Grace Hopper is checked in" in first.content.decode()
    second = client.post(check_in_url(hands_on), {"code": ticket.check_in_code}, follow=True)
    assert "already checked in" in second.content.decode()
    assert "1</strong> of 1 on-site people present" in second.content.decode()


def test_check_in_times_are_shown_in_the_events_time_zone(client, organiser, hands_on, register):
    hands_on.time_zone = "America/Chicago"  # the site's own zone is Europe/Zurich
    hands_on.save()
    ticket = register(hands_on)
    ticket.checked_in_at = datetime(2031, 10, 14, 14, 5, tzinfo=UTC)  # 09:05 in Chicago
    ticket.save()
    client.force_login(organiser)
    scanned = client.get(check_in_url(hands_on), {"code": ticket.check_in_code}).content.decode()
    assert "already checked in at 09:05" in scanned
    listed = client.get(check_in_url(hands_on), {"q": ticket.user.last_name}).content.decode()
    assert "In at 09:05" in listed


def test_another_events_code_on_this_check_in_page_warns(
    client, organiser, hands_on, register, make_event
):
    other = make_event(title="Rucio coding camp")
    other.organisers.add(organiser)
    ticket = register(other)
    client.force_login(organiser)
    page = client.get(check_in_url(hands_on), {"code": ticket.check_in_code}).content.decode()
    assert "Ticket for another event" in page
    response = client.post(check_in_url(hands_on), {"code": ticket.check_in_code}, follow=True)
    assert "This code is for another event" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.checked_in_at is None


@pytest.mark.parametrize("data", [{}, {"registration": "abc"}, {"registration": "999999"}])
def test_bad_check_in_posts_explain_and_change_nothing(client, organiser, hands_on, register, data):
    register(hands_on)
    client.force_login(organiser)
    response = client.post(check_in_url(hands_on), data, follow=True)
    assert response.status_code == 200
    assert response.context["messages"]
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_check_in_page_fits_a_phone(client, organiser, hands_on):
    client.force_login(organiser)
    page = client.get(check_in_url(hands_on)).content.decode()
    assert 'name="viewport"' in page and "autofocus" in page


def test_someone_elses_ticket_code_is_a_404_for_a_stranger_organiser(
    client, other_organiser, hands_on, register
):
    ticket = register(hands_on)
    client.force_login(other_organiser)
    assert client.get(reverse("organisers:scan", args=[ticket.check_in_code])).status_code == 404
    assert client.get(reverse("organisers:scan", args=["made-up"])).status_code == 404


def test_attendance_recorded_from_names_and_check_ins_then_exported(
    client, organiser, hands_on, register, make_person
):
    checked = register(hands_on, person=make_person(first_name="Ada", last_name="Lovelace"))
    Registration.objects.filter(pk=checked.pk).update(checked_in_at=hands_on.start)
    client.force_login(organiser)
    url = reverse("organisers:attendance", args=[hands_on.slug])
    client.post(url, {"names": "Xavier Espinal, Simone Campana\n=Evil()\nXavier  Espinal"})
    client.post(reverse("organisers:attendance_from_check_ins", args=[hands_on.slug]))
    client.post(reverse("organisers:attendance_from_check_ins", args=[hands_on.slug]))
    assert sorted(MeetingAttendance.objects.values_list("name", flat=True)) == [
        "=Evil()", "Ada Lovelace", "Simone Campana", "Xavier Espinal",
    ]  # fmt: skip
    response = client.get(reverse("organisers:attendance_export", args=[hands_on.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "E-mail", "Event", "Date"]
    assert ["'=Evil()", "", "SWAN hands-on", hands_on.local_start.date().isoformat()] in rows
    assert any(row[:2] == ["Ada Lovelace", checked.user.email] for row in rows)


def test_attendance_refuses_a_name_too_long(client, organiser, hands_on):
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:attendance", args=[hands_on.slug]), {"names": "A" * 201}
    )
    assert response.status_code == 400
    assert "longer than 200" in response.content.decode()
    assert not MeetingAttendance.objects.exists()


def test_a_remote_ticket_at_the_door_is_flagged_and_needs_a_second_tap(
    client, organiser, hands_on, register
):
    ticket = register(hands_on, mode=Registration.Mode.REMOTE)
    client.force_login(organiser)
    page = client.get(check_in_url(hands_on), {"code": ticket.check_in_code}).content.decode()
    assert "Remote ticket." in page and f"Check in {ticket.user} anyway" in page
    scanned = client.post(check_in_url(hands_on), {"code": ticket.check_in_code}, follow=True)
    assert "registered to take part remotely" in scanned.content.decode()
    ticket.refresh_from_db()
    assert ticket.checked_in_at is None  # a scanner's quick post does not let them in
    client.post(check_in_url(hands_on), {"code": ticket.check_in_code, "accept_remote": "on"})
    ticket.refresh_from_db()
    assert ticket.checked_in_at is not None
    page = client.get(check_in_url(hands_on)).content.decode()
    assert "<strong>0</strong> of 0 on-site people present" in page
    assert "and 1 registered remote, checked in at the door" in page


def test_present_counts_only_confirmed_on_site_people(client, organiser, hands_on, register):
    now = datetime(2030, 1, 1, tzinfo=UTC)
    register(hands_on, checked_in_at=now)
    register(hands_on)
    register(hands_on, mode=Registration.Mode.REMOTE)  # expected remotely, not in the room
    register(hands_on, status=Registration.Status.CANCELLED, checked_in_at=now)  # left again
    client.force_login(organiser)
    page = client.get(check_in_url(hands_on)).content.decode()
    assert "<strong>1</strong> of 2 on-site people present" in page
    overview = client.get(reverse("organisers:event_overview", args=[hands_on.slug]))
    onsite = next(mode for mode in overview.context["counts"] if mode.mode == "onsite")
    assert onsite.checked_in == 1  # the cancelled registration was not there
    attendance = client.get(reverse("organisers:attendance", args=[hands_on.slug]))
    assert attendance.context["checked_in"] == 1
    client.post(reverse("organisers:attendance_from_check_ins", args=[hands_on.slug]))
    assert MeetingAttendance.objects.filter(event=hands_on).count() == 1
