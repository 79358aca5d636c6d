from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from escape_events.events.models import Event, Venue
from escape_events.events.services import add_attachment, materialise_occurrence


def test_slugs_are_unique(make_event):
    make_event(slug="swan")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(slug="swan")


def test_database_refuses_an_end_before_the_start(make_event):
    event = make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(end=event.start - timedelta(hours=1))


def test_clean_explains_bad_times_and_zones(make_event):
    event = make_event()
    event.end = event.start
    event.time_zone = "Mars/Olympus"
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "The end must be after the start." in error.value.message_dict["end"]
    assert "time_zone" in error.value.message_dict


def test_coordinates_out_of_range_are_refused(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Venue.objects.create(name="Nowhere", latitude=123, longitude=0)


def test_one_stored_row_per_occurrence(wp2_series):
    first = materialise_occurrence(series=wp2_series, recurrence_id=wp2_series.first_start)
    again = materialise_occurrence(series=wp2_series, recurrence_id=wp2_series.first_start)
    assert first.pk == again.pk
    assert first.slug == "escape-wp2-meeting-2019-09-25"


def test_multi_day_all_day_event_knows_its_last_day(make_event):
    event = make_event(all_day=True)
    event.end = event.start + timedelta(days=3)
    assert event.is_multi_day
    assert (event.last_day - event.local_start.date()).days == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"<script>alert(1)</script>", "not accepted"),
        ("slides.pdf", b"<html>not a pdf</html>", "does not look like"),
        ("empty.txt", b"", "empty"),
        ("notes.txt", b"abc\x00def", "binary"),
    ],
)
def test_unsafe_or_broken_uploads_are_refused(make_event, name, content, message):
    event = make_event()
    with pytest.raises(ValidationError) as error:
        add_attachment(
            event=event, uploaded_file=SimpleUploadedFile(name, content), title="x", kind="other"
        )
    assert message in error.value.messages[0]
    assert not event.attachments.exists()


def test_oversized_upload_is_refused(make_event, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    upload = SimpleUploadedFile("notes.txt", b"x" * 11)
    with pytest.raises(ValidationError, match="limit"):
        add_attachment(event=make_event(), uploaded_file=upload, title="x", kind="other")
