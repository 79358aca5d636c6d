"""The export of an event whose registration data were purged: it says so, and gives the
anonymous counts that remain, rather than a list of blank rows that pretends to be people."""

import csv
import io
import json

import xlsxwriter
from django.utils import timezone

from escape_events.core.scratch import nameless_file
from escape_events.registrations.models import Registration, RegistrationPurge

from .exports import defuse
from .selectors import ModeCounts


def note(purge: RegistrationPurge) -> str:
    event = purge.event
    day = timezone.localtime(purge.purged_at, event.zone)
    return (
        f"The personal data of the registrations for {event.title} were removed on "
        f"{day:%Y-%m-%d} (retention period over). Only these anonymous counts remain."
    )


def count_rows(counts: list[ModeCounts]) -> list[tuple[str, str, int]]:
    """(mode, what, number): registrations per status, then check-ins, per mode."""
    rows = []
    for mode in counts:
        for status, label in Registration.Status.choices:
            if mode.count(status):
                rows.append((mode.label, str(label), mode.count(status)))
        if mode.checked_in:
            rows.append((mode.label, "Checked in", mode.checked_in))
    return rows


def purged_export(purge: RegistrationPurge, counts: list[ModeCounts], file_format: str):
    """(file-like or bytes, content type) in the format asked for."""
    rows = count_rows(counts)
    header = ("Mode", "Status", "Registrations")
    if file_format == "json":
        body = {
            "event": purge.event.title,
            "personal_data_removed_on": purge.purged_at.isoformat(),
            "note": note(purge),
            "counts": [
                dict(zip(("mode", "status", "registrations"), row, strict=True)) for row in rows
            ],
        }
        return json.dumps(
            body, ensure_ascii=False, indent=2
        ).encode(), "application/json; charset=utf-8"
    if file_format == "xlsx":
        handle = nameless_file()  # the response closes it
        workbook = xlsxwriter.Workbook(handle, {"strings_to_formulas": False})
        sheet = workbook.add_worksheet("Counts")
        sheet.write_string(0, 0, defuse(note(purge)))
        for number, row in enumerate([header, *rows], start=1):
            sheet.write_row(number, 0, row)
        workbook.close()
        handle.seek(0)
        return handle, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([defuse(note(purge))])
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode(), "text/csv; charset=utf-8"
