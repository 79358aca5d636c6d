"""Every organiser URL refuses people who do not organise the event (404, revealing nothing)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from escape_events.events.models import (
    Attachment,
    Event,
    EventTranslation,
    MeetingAttendance,
    Series,
    SeriesTranslation,
)
from escape_events.events.selectors import next_occurrences
from escape_events.events.services import add_attachment, cancel_occurrence
from escape_events.organisers import urls as organiser_urls
from escape_events.organisers.models import (
    Certificate,
    ExportLog,
    ParticipantMessage,
    PrintDesign,
    PrintJob,
)
from escape_events.outbox.models import OutgoingMail
from escape_events.registrations.models import (
    AttendanceDay,
    Registration,
    RegistrationChange,
    RegistrationSettings,
    ReminderPlan,
)
from escape_events.surveys.models import Survey, SurveyQuestion
from escape_events.timetable import services as agenda_services
from escape_events.timetable.minutes import save_minutes
from escape_events.timetable.models import (
    Entry,
    Folder,
    Material,
    Minutes,
    MinutesRevision,
    Session,
)

ALL_NAMES = sorted(pattern.name for pattern in organiser_urls.urlpatterns)
# Not about one event: the dashboard and the question library show only the user's own,
# creating makes a new one.
NOT_EVENT_SCOPED = {"dashboard", "event_create", "series_create", "question_library"}
EVENT_SCOPED = [name for name in ALL_NAMES if name not in NOT_EVENT_SCOPED]
# POST-only: event_retention (the form sits on the overview).
GET_PAGES = {
    "event_overview", "event_edit", "event_clone", "event_cancel", "co_organisers",
    "participants", "messages", "message_compose", "check_in", "attendance",
    "attendance_export", "scan", "files",
    "series_meetings", "meeting_move", "series_edit", "meeting_add", "series_organisers",
    "agenda", "agenda_entry_add", "agenda_entry_edit",
    "agenda_entry_duplicate", "agenda_entry_move", "agenda_session_add", "agenda_session_edit",
    "agenda_import", "reminders", "series_reminders", "printouts", "printout", "add_people",
    "registration", "printout_job", "printout_job_file", "print_design", "certificates",
    "materials",
    "minutes", "minutes_meeting", "minutes_meeting_history", "minutes_entry",
    "minutes_entry_history", "survey",
    "event_translations", "series_translations",
}  # fmt: skip


@pytest.fixture
def targets(hands_on, organiser, register, wp2_series):
    registration = register(hands_on, answer="ATLAS")
    entry = MeetingAttendance.objects.create(event=hands_on, name="Somebody Present")
    upload = SimpleUploadedFile("agenda.txt", b"1. Welcome")
    file = add_attachment(event=hands_on, uploaded_file=upload, title="Agenda", kind="agenda")
    wp2_series.organisers.add(organiser)
    meeting, cancelled = (item.recurrence_id for item in next_occurrences(wp2_series, 2))
    cancel_occurrence(series=wp2_series, recurrence_id=cancelled)
    undelivered = OutgoingMail.objects.create(
        key="undelivered", event=hands_on, from_email="events@example.org",
        recipients=[registration.user.email], subject="Your registration", message=b"",
        status=OutgoingMail.Status.FAILED, attempts=8, last_error="550 No such user",
    )  # fmt: skip
    session = agenda_services.add_session(event=hands_on, values={"title": "Exercises"})
    entry = agenda_services.add_entry(
        event=hands_on,
        values={"start": hands_on.start, "end": hands_on.end, "title": "Notebooks"},
        speakers=[agenda_services.Person("Simone", "CERN")],
    )
    material = agenda_services.add_material_link(
        entry=entry, url="https://swan.cern.ch", title="SWAN"
    )
    job = PrintJob.objects.create(
        event=hands_on, kind="badges", fingerprint="x", total=1, done=1,
        status=PrintJob.Status.DONE, file=SimpleUploadedFile("badges.pdf", b"%PDF-1.7"),
    )  # fmt: skip
    certificate = Certificate.objects.create(
        registration=registration, nonce="n", token_hash="h", issued_at=hands_on.start
    )
    folder = agenda_services.add_folder(event=hands_on, title="Exercises", audience="registrants")
    for item in (None, entry):
        for text in ("First", "Second"):
            minutes = Minutes.objects.filter(event=hands_on, entry=item).first()
            save_minutes(
                event=hands_on, entry=item, text=text, by=organiser,
                base_revision=minutes.revision if minutes else 0,
            )  # fmt: skip
    return {
        "slug": hands_on.slug,
        "user_id": organiser.pk,
        "pk": {
            "attendance_remove": entry.pk,
            "file_delete": file.pk,
            "mail_retry": undelivered.pk,
            "registration": registration.pk,
            "registration_mode": registration.pk,
            **dict.fromkeys(
                [
                    "agenda_entry_edit",
                    "agenda_entry_duplicate",
                    "agenda_entry_move",
                    "agenda_entry_delete",
                    "agenda_material_add",
                ],
                entry.pk,
            ),
            "agenda_material_delete": material.pk,
            "material_edit": material.pk,
            "material_move": material.pk,
            "folder_edit": folder.pk,
            "folder_delete": folder.pk,
            "folder_move": folder.pk,
            "agenda_session_edit": session.pk,
            "agenda_session_delete": session.pk,
            "printout_job": job.pk,
            "printout_job_file": job.pk,
            "certificate_revoke": certificate.pk,
            "certificate_reissue": certificate.pk,
        },
        "code": registration.check_in_code,
        "registration": registration.pk,
        "entry": entry.pk,
        "number": 1,
        "kind": "badges",
        "series_slug": wp2_series.slug,
        "recurrence_id": {
            "meeting_cancel": meeting,
            "meeting_move": meeting,
            "meeting_open": meeting,
            "meeting_restore": cancelled,
        },
    }


def url_for(name, targets):
    pattern = next(item for item in organiser_urls.urlpatterns if item.name == name)
    kwargs = {}
    for key in pattern.pattern.converters:
        value = targets[key]
        kwargs[key] = value[name] if isinstance(value, dict) else value
    return reverse(f"organisers:{name}", kwargs=kwargs)


def snapshot():
    return (
        list(Event.objects.values_list("pk", "title", "status", "sequence").order_by("pk")),
        list(
            Registration.objects.values_list(
                "pk", "status", "mode", "checked_in_at", "note"
            ).order_by("pk")
        ),
        list(RegistrationChange.objects.values_list("pk", "changes").order_by("pk")),
        list(Registration.tags.through.objects.values_list("pk").order_by("pk")),
        MeetingAttendance.objects.count(),
        list(Attachment.objects.values_list("pk", "title", "file").order_by("pk")),
        list(Minutes.objects.values_list("pk", "text", "revision").order_by("pk")),
        list(Survey.objects.values_list("pk", "title", "opened_at", "closes_at").order_by("pk")),
        SurveyQuestion.objects.count(),
        MinutesRevision.objects.count(),
        sorted(str(path) for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()),
        ExportLog.objects.count(),
        ParticipantMessage.objects.count(),
        list(OutgoingMail.objects.values_list("pk", "status", "attempts").order_by("pk")),
        list(RegistrationSettings.objects.values_list("pk", "retention_months").order_by("pk")),
        list(Entry.objects.values_list("pk", "title", "start", "end", "sequence").order_by("pk")),
        list(Session.objects.values_list("pk", "title").order_by("pk")),
        list(
            Material.objects.values_list(
                "pk", "title", "url", "audience", "from_start", "folder", "position"
            ).order_by("pk")
        ),
        list(Folder.objects.values_list("pk", "title", "audience", "from_start", "position")),
        list(Event.organisers.through.objects.values_list("event_id", "user_id").order_by("pk")),
        list(ReminderPlan.objects.values_list("event_id", "series_id", "minutes_before")),
        list(get_user_model().objects.values_list("pk", "email", "first_name").order_by("pk")),
        list(Series.objects.values_list("pk", "title", "rrule", "first_start", "sequence")),
        list(Series.organisers.through.objects.values_list("series_id", "user_id").order_by("pk")),
        list(PrintDesign.objects.values_list("pk", "layout", "logo")),
        list(PrintJob.objects.values_list("pk", "status", "file")),
        list(Certificate.objects.values_list("pk", "revoked_at")),
        list(AttendanceDay.objects.values_list("pk", "day", "source")),
        EventTranslation.objects.count() + SeriesTranslation.objects.count(),
    )


def test_every_url_is_covered_by_these_tests():
    assert set(EVENT_SCOPED) | NOT_EVENT_SCOPED == set(ALL_NAMES)
    assert set(GET_PAGES) <= set(ALL_NAMES)


@pytest.mark.parametrize("name", EVENT_SCOPED)
def test_another_organiser_gets_404_and_changes_nothing(client, other_organiser, targets, name):
    client.force_login(other_organiser)
    url = url_for(name, targets)
    before = snapshot()
    data = {
        "email": "otto@example.org", "names": "Intruder", "code": targets["code"],
        "selected": ["1"], "action": "cancel", "columns": ["name"], "format": "csv",
        "subject": "Hi", "body": "Hello", "send": "1", "title": "Hijacked",
        "base_revision": "2", "kind": "slides",
        "file": SimpleUploadedFile("evil.txt", b"planted"),
        "start": "2031-01-08T10:00", "end": "2031-01-08T11:00", "minutes_before": ["15"],
        "first_name": "In", "last_name": "Truder", "mode": "onsite", "default_mode": "onsite",
        "rows": "forged", "months": "0", "note": "Planted", "tags": "planted",
        "repeat": "weekly", "weekdays": ["0"], "interval": "1", "first_day": "2031-01-06",
        "time_zone": "Europe/Zurich",
        "day": "2031-01-08", "start_time": "10:00", "end_time": "11:00", "by": "15",
        "url": "https://evil.example", "text": "title,time\nPlanted,10:00-11:00",
        "speakers-TOTAL_FORMS": "0", "speakers-INITIAL_FORMS": "0",
        "conveners-TOTAL_FORMS": "0", "conveners-INITIAL_FORMS": "0",
        "layout": "a6", "registration": str(targets["registration"]), "days": ["2031-01-08"],
        "audience": "everyone", "direction": "down", "place": "",
    }  # fmt: skip
    statuses = {client.get(url).status_code, client.post(url, data).status_code}
    assert statuses <= {404, 405}  # 405: a GET on a POST-only address, or the reverse
    assert 404 in statuses
    assert snapshot() == before


@pytest.mark.parametrize("name", ALL_NAMES)
def test_anonymous_visitors_are_sent_to_log_in(client, targets, name):
    response = client.get(url_for(name, targets))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", sorted(GET_PAGES - {"scan"}))
def test_the_organiser_opens_every_page(client, organiser, targets, name):
    client.force_login(organiser)
    response = client.get(url_for(name, targets))
    assert response.status_code == 200, response.content[:500]


def test_a_scanned_ticket_leads_the_organiser_to_the_check_in_page_with_its_code(
    client, organiser, targets
):
    client.force_login(organiser)
    response = client.get(url_for("scan", targets))
    check_in = reverse("organisers:check_in", kwargs={"slug": targets["slug"]})
    assert response.status_code == 302
    assert response["Location"] == f"{check_in}?code={targets['code']}"


@pytest.mark.parametrize("name", ["event_overview", "participants", "check_in", "event_edit"])
def test_staff_and_series_organisers_may_manage(
    client, make_person, hands_on, wp2_series, targets, name
):
    staff = make_person(is_staff=True)
    client.force_login(staff)
    assert client.get(url_for(name, targets)).status_code == 200

    series_organiser = make_person()
    wp2_series.organisers.add(series_organiser)
    hands_on.series = wp2_series
    hands_on.recurrence_id = hands_on.start
    hands_on.save()
    client.force_login(series_organiser)
    assert client.get(url_for(name, targets)).status_code == 200


def test_dashboard_lists_only_my_events(client, organiser, other_organiser, hands_on):
    client.force_login(organiser)
    page = client.get(reverse("organisers:dashboard")).content.decode()
    assert "SWAN hands-on" in page
    assert "Otto&#x27;s event" not in page and "Otto's event" not in page


def test_ticket_qr_code_is_only_for_its_owner_and_the_organisers(
    client, hands_on, register, make_person, organiser
):
    registration = register(hands_on)
    url = reverse("site:ticket_qr", kwargs={"pk": registration.pk})
    client.force_login(make_person())
    assert client.get(url).status_code == 404
    client.force_login(registration.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_organise_link_shows_for_organisers_and_event_creators_only(
    client, organiser, make_person, wp2_series
):
    client.force_login(make_person())
    assert b"Organise</a>" not in client.get("/").content
    client.force_login(organiser)
    assert b"Organise</a>" in client.get("/").content  # organises nothing yet, but may create
    creators = Group.objects.create(name="Event creators")
    creators.permissions.add(Permission.objects.get(codename="add_event"))
    member = make_person()
    member.groups.add(creators)
    client.force_login(member)
    assert b"Organise</a>" in client.get("/").content  # the right through a group
    series_organiser = make_person()
    wp2_series.organisers.add(series_organiser)
    client.force_login(series_organiser)
    assert b"Organise</a>" in client.get("/").content


def test_event_page_links_its_organisers_to_the_management_pages(
    client, hands_on, organiser, other_organiser
):
    manage = reverse("organisers:event_overview", kwargs={"slug": hands_on.slug}).encode()
    client.force_login(other_organiser)
    assert manage not in client.get(hands_on.get_absolute_url()).content
    client.force_login(organiser)
    assert manage in client.get(hands_on.get_absolute_url()).content
