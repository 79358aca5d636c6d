"""The participant export as a file download, for the participant page and the API alike: the
live list, or, once the event's registration data were purged, the anonymous counts that remain.
Logged either way: who, when, filter and columns when it starts, and how it ended (rows that went
out, completed or cut off) when the last byte leaves or the client goes away."""

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from escape_events.core.downloads import personal_download
from escape_events.events.models import Event
from escape_events.registrations.models import Registration, RegistrationPurge

from . import selectors, services
from .exports import Column, Export, watch
from .models import ExportLog
from .purged_export import purged_export

CONTENT_TYPES = {
    ExportLog.Format.CSV: "text/csv; charset=utf-8",
    ExportLog.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportLog.Format.JSON: "application/json; charset=utf-8",
}


def participants_download(
    *, event: Event, rows: QuerySet[Registration], columns: list[Column], file_format: str,
    filters: dict, user,
) -> HttpResponse:  # fmt: skip
    purge = RegistrationPurge.objects.filter(event=event).select_related("event").first()
    if purge is not None:
        return _purged_download(event, purge, file_format, user)
    log = services.start_export(
        event=event,
        user=user,
        format=file_format,
        columns=[column.label for column in columns],
        filters=filters,
    )
    return _logged_download(
        Export(rows, columns, event), log=log, file_format=file_format, name="participants"
    )


def survey_download(
    *, survey, rows: QuerySet, columns: list[Column], file_format: str, user
) -> HttpResponse:
    """The survey's answers, one row per person who answered; logged as participant exports are."""
    log = services.start_export(
        event=survey.event,
        user=user,
        format=file_format,
        columns=[column.label for column in columns],
        filters={"survey": survey.title},
    )
    return _logged_download(
        Export(rows, columns, survey.event), log=log, file_format=file_format, name="feedback"
    )


def _logged_download(export: Export, *, log: ExportLog, file_format: str, name: str):
    """The export as a file; the log says how many rows went out and whether it completed."""
    event = export.event
    stamp = timezone.localtime(timezone.now(), event.zone).strftime("%Y-%m-%d")
    filename = f"{event.slug}-{name}-{stamp}.{file_format}"
    content_type = CONTENT_TYPES[file_format]
    if file_format == ExportLog.Format.XLSX:
        response = FileResponse(
            export.xlsx_file(), as_attachment=True, filename=filename, content_type=content_type
        )
        # A cut-off workbook is unreadable (its index comes last): all its rows or none.
        response.streaming_content = watch(
            response.streaming_content,
            lambda completed: services.end_export(
                log=log, rows=export.rows_in_file if completed else 0, completed=completed
            ),
        )
        return personal_download(response)

    def ended(completed: bool) -> None:
        services.end_export(log=log, rows=export.rows_sent, completed=completed)

    chunks = export.json_chunks() if file_format == ExportLog.Format.JSON else export.csv_chunks()
    response = StreamingHttpResponse(watch(chunks, ended), content_type=content_type)
    return personal_download(response, filename=filename)


def _purged_download(event, purge, file_format, user):
    """Say that the data are gone and give the counts that stay, logged like any export."""
    counts = selectors.registration_counts(event, selectors.registration_settings(event))
    body, content_type = purged_export(purge, counts, file_format)
    log = services.start_export(
        event=event,
        user=user,
        format=file_format,
        columns=["anonymous counts (personal data purged)"],
        filters={},
    )
    services.end_export(log=log, rows=0, completed=True)
    filename = f"{event.slug}-counts-after-purge.{file_format}"
    if not isinstance(body, bytes):
        return personal_download(
            FileResponse(body, as_attachment=True, filename=filename, content_type=content_type)
        )
    return personal_download(HttpResponse(body, content_type=content_type), filename=filename)
