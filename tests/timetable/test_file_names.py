"""One file-name rule for event files and agenda materials (events.attachments.clean_file_name)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from escape_events.events.attachments import MAX_NAME_LENGTH
from escape_events.events.services import add_attachment
from escape_events.timetable import services

from .conftest import at

PDF = b"%PDF-1.4\n"


def as_attachment(event, name):
    stored = add_attachment(
        event=event, uploaded_file=SimpleUploadedFile(name, PDF), title="", kind="slides"
    )
    return stored.file.name.rsplit("/", 1)[-1], stored.title


def as_material(event, name):
    entry = services.add_entry(
        event=event, values={"start": at(1, "14:00"), "end": at(1, "14:30"), "title": "Talk"}
    )
    stored = services.add_material_file(
        entry=entry, uploaded_file=SimpleUploadedFile(name, PDF), title=""
    )
    return stored.file.name.rsplit("/", 1)[-1], stored.title


UPLOADS = [as_attachment, as_material]


@pytest.mark.parametrize("upload", UPLOADS)
@pytest.mark.parametrize(
    ("sent", "name", "title"),
    [
        ("slides.pdf", "slides.pdf", "slides.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\Desktop\\talk.pdf", "talk.pdf", "talk.pdf"),
        ("Zoë Ångström – talk.pdf", "Zoë_Ångström__talk.pdf", "Zoë Ångström – talk.pdf"),
    ],
)
def test_both_kinds_of_upload_keep_the_same_name_and_title(hands_on, upload, sent, name, title):
    assert upload(hands_on, sent) == (name, title)


@pytest.mark.parametrize("upload", UPLOADS)
def test_a_long_name_is_cut_before_its_extension_and_fits_the_field(hands_on, upload):
    name, title = upload(hands_on, "a" * 300 + ".pdf")
    assert title == "a" * (MAX_NAME_LENGTH - 4) + ".pdf"
    assert name == title


@pytest.mark.parametrize("upload", UPLOADS)
@pytest.mark.parametrize(
    ("sent", "message"),
    [
        (".pdf", "needs a name"),
        ("report\u202efdp.pdf", "text-direction"),
        ("line\nbreak.pdf", "control"),
        ("page.html", "not accepted"),
    ],
)
def test_both_kinds_of_upload_refuse_the_same_names(hands_on, upload, sent, message):
    with pytest.raises(ValidationError, match=message):
        upload(hands_on, sent)
