"""Participant exports: CSV (UTF-8 with BOM), Excel .xlsx and JSON, streamed with flat memory.

Rows come from a `.values()` iterator over a server-side cursor, so memory does not grow with
the number of participants. Text cells that a spreadsheet could read as a formula are defused,
headers included. `rows_sent` counts the rows the client asked past: a streamed download cut off
midway says how far it got (see `watch`).
"""

import csv
import json
import tempfile
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from escape_events.accounts.models import full_name
from escape_events.registrations.models import Question, Registration

from .selectors import AFFILIATION, answer_column

CHUNK = 2_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "%Y-%m-%d %H:%M"
MODE_LABELS = dict(Registration.Mode.choices)
STATUS_LABELS = dict(Registration.Status.choices)


def defuse(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    fields: tuple[str, ...]
    read: Callable[[dict], object]
    width: int = 18


PERSON_COLUMNS = {
    "name": Column(
        "name",
        "Name",
        ("user__first_name", "user__last_name"),
        lambda row: full_name(row["user__first_name"], row["user__last_name"]),
        26,
    ),
    "email": Column("email", "E-mail", ("user__email",), lambda row: row["user__email"], 30),
    "affiliation": Column(
        "affiliation",
        "Affiliation",
        (AFFILIATION,),
        lambda row: row[AFFILIATION],
        24,
    ),
    "mode": Column("mode", "Mode", ("mode",), lambda row: MODE_LABELS[row["mode"]], 10),
    "status": Column("status", "Status", ("status",), lambda row: STATUS_LABELS[row["status"]], 16),
    "waiting_list": Column(
        "waiting_list",
        "Waiting list",
        ("waiting_line", "waiting_position"),
        lambda row: (
            f"{MODE_LABELS[row['waiting_line']]}, number {row['waiting_position']}"
            if row["waiting_position"]
            else ""
        ),
        20,
    ),
    "registered_at": Column(
        "registered_at", "Registered at", ("created_at",), lambda row: row["created_at"]
    ),
    "checked_in_at": Column(
        "checked_in_at", "Checked in at", ("checked_in_at",), lambda row: row["checked_in_at"]
    ),
}
COLUMN_CHOICES = [
    ("name", "Name"),
    ("email", "E-mail"),
    ("affiliation", "Affiliation"),
    ("mode", "Mode"),
    ("status", "Status"),
    ("waiting_list", "Place on a waiting list"),
    ("answers", "Answers to the questions"),
    ("registered_at", "Registration time"),
    ("checked_in_at", "Check-in time"),
]


def columns_for(chosen: Iterable[str], questions: list[Question]) -> list[Column]:
    """The columns in the order of COLUMN_CHOICES; "answers" expands to one per question."""
    wanted = set(chosen)
    columns: list[Column] = []
    for key, _label in COLUMN_CHOICES:
        if key not in wanted:
            continue
        if key == "answers":
            for question in questions:
                field = answer_column(question)
                columns.append(
                    Column(
                        field,
                        question.label,
                        (field,),
                        lambda row, field=field: row[field] or "",
                        24,
                    )
                )
        else:
            columns.append(PERSON_COLUMNS[key])
    return columns


class Export:
    """The rows of a participant queryset for the chosen columns, times in the event's zone."""

    def __init__(
        self, rows: QuerySet[Registration], columns: list[Column], zone: zoneinfo.ZoneInfo
    ):
        self.rows = rows
        self.columns = columns
        self.zone = zone
        self.rows_sent = 0

    def _values(self) -> Iterator[list]:
        fields = sorted({field for column in self.columns for field in column.fields})
        for row in self.rows.values(*fields).iterator(chunk_size=CHUNK):
            values = []
            for column in self.columns:
                value = column.read(row)
                if isinstance(value, datetime):
                    value = value.astimezone(self.zone).replace(tzinfo=None)
                values.append(value)
            yield values

    def csv_chunks(self) -> Iterator[bytes]:
        """UTF-8 with a byte-order mark, so Excel opens accents and non-Latin names right."""
        buffer = _LineBuffer()
        writer = csv.writer(buffer)
        header = [defuse(column.label) for column in self.columns]
        yield ("\ufeff" + writer.writerow(header)).encode()
        batch: list[str] = []
        for values in self._values():
            batch.append(
                writer.writerow(
                    [
                        value.strftime(DATE_FORMAT)
                        if isinstance(value, datetime)
                        else defuse("" if value is None else value)
                        for value in values
                    ]
                )
            )
            if len(batch) >= 500:
                yield "".join(batch).encode()
                self.rows_sent += len(batch)
                batch = []
        if batch:
            yield "".join(batch).encode()
            self.rows_sent += len(batch)

    def xlsx_file(self):
        """A temporary .xlsx file (openpyxl write-only mode keeps rows out of memory)."""
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Participants")
        for index, column in enumerate(self.columns):
            sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(sheet, value=_xlsx_text(column.label))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        written = 0
        for values in self._values():
            written += 1
            row = []
            for value in values:
                if isinstance(value, datetime):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "yyyy-mm-dd hh:mm"
                    row.append(cell)
                else:
                    row.append(_xlsx_text(value))
            sheet.append(row)
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
        workbook.save(handle)
        handle.seek(0)
        self.rows_in_file = written
        return handle

    def json_chunks(self) -> Iterator[bytes]:
        """A JSON array of objects; answers nested under their question's label."""
        yield b"["
        first = True
        for values in self._values():
            item: dict = {}
            for column, value in zip(self.columns, values, strict=True):
                if isinstance(value, datetime):
                    value = value.replace(tzinfo=self.zone).isoformat()
                if column.key.startswith("answer_"):
                    item.setdefault("answers", {})[column.label] = value
                else:
                    item[column.key] = value
            yield (b"\n" if first else b",\n") + json.dumps(item, ensure_ascii=False).encode()
            self.rows_sent += 1
            first = False
        yield b"\n]\n"


def watch(chunks: Iterable[bytes], on_end: Callable[[bool], None]) -> Iterator[bytes]:
    """Pass the chunks on, then call `on_end(completed)` once: True when the last chunk went out,
    False when the download was cut off (the server closes the iterator early)."""
    completed = False
    try:
        yield from chunks
        completed = True
    finally:
        on_end(completed)


class _LineBuffer:
    """csv.writer writes into this and gets the line back, so nothing accumulates."""

    def write(self, text: str) -> str:
        return text


def _xlsx_text(value):
    if isinstance(value, str):
        return defuse(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value
