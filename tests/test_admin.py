"""Every model in the admin: its list (with filters and search) and its add form open for staff."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from escape_events.events.models import Attachment, Event, Series
from escape_events.events.selectors import next_occurrences
from escape_events.events.services import materialise_occurrence

# Rows only the site itself writes (through its services, the outbox, the logs):
# their admin forbids adding one by hand.
NOT_ADDED_BY_HAND = {
    "api.ApiToken", "api.ApiWriteLog", "organisers.ExportLog",
    "organisers.ParticipantMessage", "outbox.OutgoingMail",
    "registrations.Registration", "surveys.Survey", "timetable.Minutes",
}  # fmt: skip


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_every_admin_page_opens_for_staff(admin_client, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist, {"q": "swan"}).status_code == 200
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (403 if opts.label in NOT_ADDED_BY_HAND else 200)


class _FormFields(HTMLParser):
    """The values a browser would submit from the admin's change form, as they are on the page."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "file", "button"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if attrs.get("type") == "checkbox" else ""  # what browsers send
            self.data.setdefault(name, []).append(attrs.get("value") or default)
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data.removeprefix("\n")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _upload_in_admin(admin_client, event, upload):
    url = reverse("admin:events_event_change", args=[event.pk])
    page = _FormFields()
    page.feed(admin_client.get(url).content.decode())
    data = {name: values if len(values) > 1 else values[0] for name, values in page.data.items()}
    data.pop("_saveasnew", None)
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-event": str(event.pk),
            "attachments-0-kind": Attachment.Kind.SLIDES,
            "attachments-0-title": "Slides",
            "attachments-0-file": upload,
        }
    )
    return admin_client.post(url, data)


def test_admin_refuses_an_html_page_uploaded_as_an_attachment(admin_client, make_event):
    event = make_event()
    upload = SimpleUploadedFile("slides.pdf", b"<html><script>alert(1)</script></html>")
    response = _upload_in_admin(admin_client, event, upload)
    assert response.status_code == 200  # the form again, with the message
    assert "does not look like a .pdf file" in response.content.decode()
    assert not Attachment.objects.exists()


def test_admin_stores_a_valid_upload_with_its_type_and_size(admin_client, make_event):
    event = make_event()
    upload = SimpleUploadedFile("slides.pdf", b"%PDF-1.7 slides")
    response = _upload_in_admin(admin_client, event, upload)
    assert response.status_code == 302
    stored = Attachment.objects.get()
    assert (stored.event, stored.content_type, stored.size) == (event, "application/pdf", 15)


def test_attachment_admin_refuses_an_unsafe_upload(admin_client, make_event):
    event = make_event()
    url = reverse("admin:events_attachment_add")
    page = admin_client.post(
        url,
        {
            "event": event.pk,
            "kind": Attachment.Kind.OTHER,
            "title": "Page",
            "file": SimpleUploadedFile("page.html", b"<script>alert(1)</script>"),
        },
    )
    assert "are not accepted" in page.content.decode()
    ok = admin_client.post(
        url,
        {
            "event": event.pk,
            "kind": Attachment.Kind.MINUTES,
            "title": "Minutes",
            "file": SimpleUploadedFile("minutes.txt", b"Present: Simone"),
        },
    )
    assert ok.status_code == 302
    assert Attachment.objects.get().content_type == "text/plain; charset=utf-8"
    listing = admin_client.get(reverse("admin:events_attachment_changelist"), {"kind": "minutes"})
    assert "Minutes" in listing.content.decode()


def _change_in_admin(admin_client, obj, **changes):
    """Post the admin change form as a browser would, with some fields changed."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    page = _FormFields()
    page.feed(admin_client.get(url).content.decode())
    data = {name: values if len(values) > 1 else values[0] for name, values in page.data.items()}
    data.pop("_saveasnew", None)
    data.update(changes)
    return admin_client.post(url, data)


def _registered(event, make_user_with_mail):
    from escape_events.registrations.models import Registration, RegistrationSettings

    RegistrationSettings.objects.get_or_create(
        event=event, defaults={"opens_at": event.start - timedelta(days=30)}
    )
    person = make_user_with_mail()
    Registration.objects.create(event=event, user=person, mode="onsite", status="confirmed")
    return person


@pytest.fixture
def make_user_with_mail(django_user_model):
    counter = iter(range(1, 1000))

    def make():
        number = next(counter)
        return django_user_model.objects.create_user(
            username=f"someone{number}", email=f"someone{number}@example.org", password="x-long-1"
        )

    return make


def test_cancelling_an_event_in_the_admin_bumps_sequence_and_tells_registrants(
    admin_client, make_event, make_user_with_mail, django_capture_on_commit_callbacks
):
    event = make_event(start=timezone.now() + timedelta(days=10))
    person = _registered(event, make_user_with_mail)
    with django_capture_on_commit_callbacks(execute=True):
        response = _change_in_admin(admin_client, event, status=Event.Status.CANCELLED)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.sequence) == (Event.Status.CANCELLED, 1)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([person.email], f"Cancelled: {event.title}")
    ]


def test_changing_a_series_rule_in_the_admin_bumps_sequence_and_tells_registrants(
    admin_client, wp2_series, make_user_with_mail, django_capture_on_commit_callbacks
):
    coming = next_occurrences(wp2_series, 1)[0]
    meeting = materialise_occurrence(series=wp2_series, recurrence_id=coming.recurrence_id)
    person = _registered(meeting, make_user_with_mail)
    with django_capture_on_commit_callbacks(execute=True):
        response = _change_in_admin(admin_client, wp2_series, rrule="FREQ=MONTHLY;BYDAY=2TH,4TH")
    assert response.status_code == 302
    wp2_series.refresh_from_db()
    assert (wp2_series.rrule, wp2_series.sequence) == ("FREQ=MONTHLY;BYDAY=2TH,4TH", 1)
    # Its coming Wednesday meeting is no longer a day of the rule: it is called off (a new
    # SEQUENCE for it too) and the person registered is told.
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.sequence == 1
    (message,) = mail.outbox
    assert message.to == [person.email] and message.subject.startswith("Cancelled: ESCAPE WP2")


def test_saving_an_unchanged_event_in_the_admin_changes_nothing(admin_client, make_event):
    event = make_event()
    before = (event.sequence, event.updated_at)
    assert _change_in_admin(admin_client, event).status_code == 302
    event.refresh_from_db()
    assert (event.sequence, event.updated_at) == before


def _add_in_admin(admin_client, model, **values):
    """Post the admin add form as a browser would, with its defaults and these values."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    page = _FormFields()
    page.feed(admin_client.get(url).content.decode())
    data = {name: values if len(values) > 1 else values[0] for name, values in page.data.items()}
    data.update(values)
    return admin_client.post(url, data)


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Event, {"start_0": "2031-10-14", "start_1": "09:00", "end_0": "2031-10-14",
                 "end_1": "17:00"}),
        (Series, {"first_start_0": "2031-01-08", "first_start_1": "14:00", "duration": "01:30:00",
                  "rrule": "FREQ=MONTHLY;BYDAY=2WE"}),
    ],
)  # fmt: skip
def test_the_admin_stores_the_description_text_on_add_and_change(admin_client, model, fields):
    """Feeds read the stored plain text; an admin insert or change writes it too."""
    response = _add_in_admin(
        admin_client, model, title="Added", slug="added", description="**Bold** start.", **fields
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = model.objects.get(slug="added")
    assert item.description_text == "Bold start."
    assert _change_in_admin(admin_client, item, description="*Changed*.").status_code == 302
    item.refresh_from_db()
    assert item.description_text == "Changed."
