"""Every model in the admin: its list (with filters and search) and its add form open for staff."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from escape_events.events.models import Attachment


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_every_admin_page_opens_for_staff(admin_client, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist, {"q": "swan"}).status_code == 200
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code in {200, 403}  # 403 where the admin forbids adding by hand


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
            self.data.setdefault(name, []).append(attrs.get("value") or "")
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
