"""The organiser's "Files & minutes" page: uploads, deletions and the minutes text."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from escape_events.events.models import Attachment
from escape_events.events.services import add_attachment

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def files_url(event):
    return reverse("organisers:files", args=[event.slug])


def stored_files(settings):
    return sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def attach(event, title="Agenda", name="agenda.txt", content=b"1. Welcome", kind="agenda"):
    upload = SimpleUploadedFile(name, content)
    return add_attachment(event=event, uploaded_file=upload, title=title, kind=kind)


def test_organiser_uploads_slides_that_the_event_page_then_offers(
    client, organiser, hands_on, settings
):
    client.force_login(organiser)
    upload = SimpleUploadedFile("intro.pdf", PDF, content_type="application/pdf")
    response = client.post(
        files_url(hands_on), {"title": "Intro slides", "kind": "slides", "file": upload}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(event=hands_on)
    assert (attachment.title, attachment.kind, attachment.size) == (
        "Intro slides",
        "slides",
        len(PDF),
    )
    assert attachment.content_type == "application/pdf"
    assert [path.read_bytes() for path in stored_files(settings)] == [PDF]
    page = client.get(response["Location"]).content.decode()
    assert "“Intro slides” is attached to the event." in page
    assert f"Slides · {len(PDF)}\xa0bytes · uploaded" in page
    assert attachment.get_absolute_url() in client.get(hands_on.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"file": ("page.html", b"<html><script>alert(1)</script>")}, "are not accepted"),
        ({"file": ("tool.exe", b"MZ\x90\x00")}, "are not accepted"),
        ({"file": ("slides.pdf", b"<!doctype html><script>alert(1)</script>")}, "does not look"),
        ({"file": ("empty.pdf", b"")}, "empty"),
        ({"file": ("big.txt", b"x" * 101)}, "the limit is 100"),
        ({"file": ("notes.txt", b"abc\x00def")}, "binary data"),
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"kind": "virus"}, "Select a valid choice"),
        ({"kind": ""}, "This field is required."),
        ({"file": None}, "This field is required."),
    ],
    ids=[
        "html", "exe", "html-renamed-pdf", "empty", "too-big", "binary-text",
        "no-title", "long-title", "bad-kind", "no-kind", "no-file",
    ],
)  # fmt: skip
def test_bad_uploads_are_refused_with_a_message_and_store_nothing(
    client, organiser, hands_on, settings, data, message
):
    settings.ATTACHMENT_MAX_BYTES = 100
    fields = {"title": "Slides", "kind": "slides", "file": ("slides.pdf", PDF)} | data
    if fields["file"] is None:
        del fields["file"]
    else:
        fields["file"] = SimpleUploadedFile(*fields["file"])
    client.force_login(organiser)
    response = client.post(files_url(hands_on), fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_deleting_a_file_removes_the_row_and_the_stored_file(
    client, organiser, hands_on, settings, django_capture_on_commit_callbacks
):
    keep, gone = attach(hands_on, title="Agenda"), attach(hands_on, title="Old notes")
    client.force_login(organiser)
    url = reverse("organisers:file_delete", args=[hands_on.slug, gone.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "“Old notes” was deleted." in response.content.decode()
    assert list(Attachment.objects.all()) == [keep]
    assert stored_files(settings) == [Path(keep.file.path)]


def test_another_events_file_cannot_be_deleted_through_my_event(
    client, organiser, hands_on, make_event, settings, django_capture_on_commit_callbacks
):
    theirs = attach(make_event(title="Someone else's"))
    client.force_login(organiser)
    url = reverse("organisers:file_delete", args=[hands_on.slug, theirs.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 404
    assert Attachment.objects.filter(pk=theirs.pk).exists()
    assert stored_files(settings) == [Path(theirs.file.path)]


def test_a_post_without_the_csrf_token_is_refused(organiser, hands_on, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    upload = SimpleUploadedFile("intro.pdf", PDF)
    response = client.post(files_url(hands_on), {"title": "T", "kind": "slides", "file": upload})
    assert response.status_code == 403
    assert not Attachment.objects.exists() and stored_files(settings) == []


@pytest.mark.parametrize("how_many", [1, 20])
def test_files_page_query_count_does_not_grow_with_files(
    client, organiser, hands_on, django_assert_num_queries, how_many
):
    for number in range(how_many):
        attach(hands_on, title=f"File {number}")
    client.force_login(organiser)
    # session, user, event, files; the menu's "Organise" check: the person's permissions, own and
    # through groups (an organiser who may create events needs no more).
    with django_assert_num_queries(6):
        response = client.get(files_url(hands_on))
    assert response.content.decode().count("Yes, delete</button>") == how_many
