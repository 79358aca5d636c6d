"""Writes on events and series. Views, the admin, commands and seeds all call these."""

from datetime import datetime

from django.db import transaction

from .attachments import validate_upload
from .models import Attachment, Event, Series


def add_attachment(*, event: Event, uploaded_file, title: str, kind: str) -> Attachment:
    """Validate an upload and attach it; raises ValidationError with a message for the user."""
    content_type = validate_upload(uploaded_file)
    attachment = Attachment(
        event=event,
        kind=kind,
        title=title or uploaded_file.name,
        content_type=content_type,
        size=uploaded_file.size,
    )
    attachment.file.save(uploaded_file.name, uploaded_file, save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def materialise_occurrence(*, series: Series, recurrence_id: datetime) -> Event:
    """The stored Event for one occurrence, created from the series the first time it is needed.

    An occurrence gets a row only when it has something of its own: it moved, was cancelled,
    carries minutes, attachments or registrations.
    """
    local = recurrence_id.astimezone(series.zone)
    event, _ = Event.objects.get_or_create(
        series=series,
        recurrence_id=recurrence_id,
        defaults={
            "title": series.title,
            "slug": f"{series.slug}-{local:%Y-%m-%d}",
            "kind": series.kind,
            "summary": series.summary,
            "time_zone": series.time_zone,
            "venue": series.venue,
            "online_url": series.online_url,
            "remote_note": series.remote_note,
            "contact_name": series.contact_name,
            "contact_email": series.contact_email,
            "audience_note": series.audience_note,
            "data_note": series.data_note,
            "is_listed": series.is_listed,
            "start": recurrence_id,
            "end": recurrence_id + series.duration,
        },
    )
    return event
