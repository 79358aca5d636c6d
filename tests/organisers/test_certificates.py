"""Certificates that mean something: after the event, from attendance recorded per day (check-in,
an organiser's mark, a video-conference list), with an address that confirms or refuses them."""

import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from escape_events.core.tokens import hash_token
from escape_events.events.models import Event
from escape_events.organisers.models import Certificate
from escape_events.registrations.checkin import check_in
from escape_events.registrations.models import AttendanceDay, Registration


@pytest.fixture
def camp(make_event, organiser):
    """A three-day all-day camp that ended yesterday."""
    today = timezone.localdate()
    start = datetime.combine(
        today - timedelta(days=3), time(0), tzinfo=timezone.get_current_timezone()
    )
    event = make_event(
        title="ESCAPE school", slug="school", start=start, end=start + timedelta(days=3),
        all_day=True,
    )  # fmt: skip
    event.organisers.add(organiser)
    return event


def days_of(event):
    first = event.local_start.date()
    return [first + timedelta(days=n) for n in range(3)]


def text_of(response) -> str:
    assert response["Content-Type"] == "application/pdf", response.content[:300]
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_check_in_counts_each_day_of_a_multi_day_event_once(camp, register, organiser):
    registration = register(camp)
    first, second, _third = days_of(camp)
    at = lambda day: datetime.combine(day, time(9), tzinfo=camp.zone)  # noqa: E731
    assert check_in(
        code_or_registration=registration, event=camp, by=organiser, now=at(first)
    ).checked_in
    again = check_in(code_or_registration=registration, event=camp, by=organiser, now=at(first))
    assert not again.checked_in and "already checked in" in again.message
    next_day = check_in(code_or_registration=registration, event=camp, by=organiser, now=at(second))
    assert next_day.checked_in and "checked in for" in next_day.message
    days = list(registration.attendance_days.values_list("day", flat=True))
    assert days == [first, second]


def test_a_remote_participant_marked_present_downloads_a_certificate_that_names_the_days(
    client, camp, register, organiser, make_person
):
    person = make_person(first_name="Remo", last_name="Te", affiliation="INFN")
    registration = register(camp, mode=Registration.Mode.REMOTE, person=person)
    first, second, _third = days_of(camp)
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:attendance_mark", args=[camp.slug]),
        {"registration": registration.pk, "days": [first.isoformat(), second.isoformat()]},
    )
    assert response.status_code == 302
    client.force_login(person)
    page = client.get(reverse("site:mine")).content.decode()
    assert reverse("site:my_certificate", args=[registration.pk]) in page
    text = text_of(client.get(reverse("site:my_certificate", args=[registration.pk])))
    assert "Remo Te" in text and "took part remotely in" in text and "ESCAPE school" in text
    assert "on 2 of the 3 days" in text


def test_no_certificate_before_the_end_nor_for_someone_not_present(
    client, hands_on, register, make_person
):
    person = make_person()
    registration = register(hands_on, person=person)
    AttendanceDay.objects.create(
        registration=registration, day=hands_on.local_start.date(), source="check_in"
    )
    client.force_login(person)
    url = reverse("site:my_certificate", args=[registration.pk])
    response = client.get(url)
    assert response.status_code == 409
    assert "once the event has ended" in response.content.decode()
    assert url not in client.get(reverse("site:mine")).content.decode()
    shift = hands_on.end - timezone.now() + timedelta(hours=1)
    Event.objects.filter(pk=hands_on.pk).update(
        start=hands_on.start - shift, end=hands_on.end - shift
    )
    AttendanceDay.objects.all().delete()
    response = client.get(url)
    assert response.status_code == 409
    assert "No attendance of yours is recorded" in response.content.decode()
    assert not Certificate.objects.exists()


def test_someone_elses_certificate_is_404(client, camp, register, make_person):
    registration = register(camp)
    AttendanceDay.objects.create(registration=registration, day=days_of(camp)[0], source="check_in")
    client.force_login(make_person())
    assert client.get(reverse("site:my_certificate", args=[registration.pk])).status_code == 404


def test_the_address_on_a_certificate_confirms_it_until_revoked_and_a_forged_one_is_404(
    client, camp, register, organiser, make_person
):
    person = make_person(first_name="Vera", last_name="Rubin")
    registration = register(camp, person=person)
    AttendanceDay.objects.create(registration=registration, day=days_of(camp)[0], source="check_in")
    client.force_login(person)
    text = text_of(client.get(reverse("site:my_certificate", args=[registration.pk])))
    token = re.search(r"/certificates/([0-9a-f]{40})/", text.replace(" ", "")).group(1)
    certificate = Certificate.objects.get(registration=registration)
    assert certificate.token_hash == hash_token(token) and token not in certificate.token_hash
    client.logout()
    page = client.get(reverse("site:certificate", args=[token]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Vera Rubin" in body and "ESCAPE school" in body and "valid certificate" in body
    assert page["Cache-Control"] == "no-store"
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    refused = client.get(reverse("site:certificate", args=[forged]))
    assert refused.status_code == 404 and "No valid certificate" in refused.content.decode()
    client.force_login(organiser)
    client.post(reverse("organisers:certificate_revoke", args=[camp.slug, certificate.pk]))
    client.logout()
    revoked = client.get(reverse("site:certificate", args=[token]))
    assert revoked.status_code == 404 and "revoked" in revoked.content.decode()
    # Revoked stays revoked for the person; an organiser may issue it again, at a new address.
    client.force_login(person)
    refused = client.get(reverse("site:my_certificate", args=[registration.pk]))
    assert refused.status_code == 409 and "revoked your certificate" in refused.content.decode()
    client.force_login(organiser)
    client.post(reverse("organisers:certificate_reissue", args=[camp.slug, certificate.pk]))
    client.force_login(person)
    again = text_of(client.get(reverse("site:my_certificate", args=[registration.pk])))
    new = re.search(r"/certificates/([0-9a-f]{40})/", again.replace(" ", "")).group(1)
    assert new != token
    assert client.get(reverse("site:certificate", args=[new])).status_code == 200
    assert client.get(reverse("site:certificate", args=[token])).status_code == 404


ZOOM_LIST = (
    "Meeting ID,Topic,Start Time\n"
    "123 456 789,ESCAPE school,01/25/2027 08:55:00 AM\n"
    "\n"
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    "Remo Te,remo@example.org,{first} 09:01:00,{first} 12:00:00,179,No\n"
    "Remo Te,REMO@example.org,{first} 13:30:00,{first} 17:00:00,210,No\n"
    "Remo Te,remo@example.org,{second} 09:00:00,{second} 10:00:00,60,No\n"
    "Stranger,stranger@example.org,{first} 09:00:00,{first} 10:00:00,60,Yes\n"
    'Evil,=HYPERLINK("http://evil"),{first} 09:00:00,{first} 10:00:00,60,Yes\n'
    "Late,remo@example.org,2031-01-01 09:00:00,2031-01-01 10:00:00,60,No\n"
)


def test_a_video_conference_list_records_remote_days_with_their_minutes(
    client, camp, register, organiser, make_person
):
    remote = register(camp, mode="remote", person=make_person(email="remo@example.org"))
    first, second, _third = days_of(camp)
    csv = ZOOM_LIST.format(first=first.isoformat(), second=second.isoformat()).encode()
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:attendance_import", args=[camp.slug]),
        {"file": io.BytesIO(csv), "day": ""},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 new days of attendance" in page
    assert "stranger@example.org" in page  # named, not registered: left out
    assert "is not an e-mail address" in page and "is not a day of this event" in page
    rows = {row.day: row for row in remote.attendance_days.all()}
    assert sorted(rows) == [first, second]
    assert rows[first].minutes == 389 and rows[first].source == "import"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"Name,Duration\nRemo,10\n", "No e-mail column"),
        (b"\x00\x01PK", "not a CSV text file"),
        (b"Email,Duration\nremo@example.org,ten\n", "is not a duration"),
    ],
)
def test_an_unreadable_attendance_list_is_refused_with_the_reason(
    client, camp, organiser, content, says
):
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:attendance_import", args=[camp.slug]),
        {"file": io.BytesIO(content), "day": days_of(camp)[0].isoformat()},
        follow=True,
    )
    assert response.status_code in {200, 400}
    assert says in response.content.decode()
    assert not AttendanceDay.objects.exists()


def test_the_attendance_page_shows_each_day_and_the_certificate_state(
    client, camp, register, organiser
):
    registration = register(camp)
    AttendanceDay.objects.create(registration=registration, day=days_of(camp)[1], source="check_in")
    client.force_login(organiser)
    page = client.get(reverse("organisers:certificates", args=[camp.slug])).content.decode()
    assert "Checked in at the door" in page and "Not downloaded yet" in page
    assert page.count('name="days"') == 2  # the check-in day is not an organiser's tick


def test_a_day_still_to_come_cannot_be_marked(client, hands_on, register, organiser):
    registration = register(hands_on, mode="remote")
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:attendance_mark", args=[hands_on.slug]),
        {"registration": registration.pk, "days": [hands_on.local_start.date().isoformat()]},
    )
    assert response.status_code == 400
    assert "has not come yet" in response.content.decode()
    assert not AttendanceDay.objects.exists()
