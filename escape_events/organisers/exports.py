"""Participant exports: CSV (UTF-8 with BOM), Excel .xlsx and JSON, streamed with flat memory.

Rows come as tuples from a server-side cursor, so memory does not grow with the number of
participants, and each column's reader is chosen once, not per cell. Text cells that a
spreadsheet could read as a formula are defused, headers included. `rows_sent` counts the rows
the client asked past: a streamed download cut off midway says how far it got (see `watch`).
Times are in the event's zone, named in their column's header; CSV and JSON write them as ISO
8601 with their offset (summer and winter time differ), .xlsx as dates a spreadsheet sorts.
"""

import csv
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

from django.db.models import QuerySet
from rustpy_xlsxwriter import write_worksheet

from escape_events.accounts.models import full_name
from escape_events.core.scratch import scratch_path
from escape_events.events.models import Event
from escape_events.registrations import question_kinds
from escape_events.registrations.availability import LINE_ORDER, in_line, with_waiting_positions
from escape_events.registrations.models import Question, Registration

from .selectors import AFFILIATION, answer_column

CHUNK = 2_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters XML 1.0 (and so an .xlsx) cannot contain; tab, line feed and CR can stay.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_CELL_LIMIT = 32_767  # characters Excel holds in one cell
MODE_LABELS = dict(Registration.Mode.choices)
STATUS_LABELS = dict(Registration.Status.choices)


def defuse(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    """`read` makes the cell from the values of `fields`, in order (None: the one field's value
    as it is); `moment` columns hold date and time, every other column text."""

    key: str
    label: str
    fields: tuple[str, ...]
    read: Callable[..., object] | None = None
    width: int = 18
    moment: bool = False


WAITING_POSITION = "waiting_position"
PERSON_COLUMNS = {
    "name": Column("name", "Name", ("user__first_name", "user__last_name"), full_name, 26),
    "first_name": Column("first_name", "First name", ("user__first_name",), width=16),
    "last_name": Column("last_name", "Family name", ("user__last_name",), width=20),
    "email": Column("email", "E-mail", ("user__email",), width=30),
    "affiliation": Column("affiliation", "Affiliation", (AFFILIATION,), width=24),
    "mode": Column("mode", "Mode", ("mode",), lambda mode: str(MODE_LABELS[mode]), 10),
    "status": Column("status", "Status", ("status",), lambda s: str(STATUS_LABELS[s]), 16),
    "waiting_list": Column(
        "waiting_list",
        "Waiting list",
        ("waiting_line", WAITING_POSITION),
        lambda line, position: f"{MODE_LABELS[line]}, number {position}" if position else "",
        20,
    ),
    "registered_at": Column("registered_at", "Registered at", ("created_at",), moment=True),
    "checked_in_at": Column("checked_in_at", "Checked in at", ("checked_in_at",), moment=True),
}
COLUMN_CHOICES = [
    ("first_name", "First name"),
    ("last_name", "Family name"),
    ("name", "Name (first and family name in one column)"),
    ("email", "E-mail"),
    ("affiliation", "Affiliation"),
    ("mode", "Mode"),
    ("status", "Status"),
    ("waiting_list", "Place on a waiting list"),
    ("answers", "Answers to the questions"),
    ("registered_at", "Registration time"),
    ("checked_in_at", "Check-in time"),
]
# What an export holds unless the organiser picks otherwise: a list to sort and filter by name.
DEFAULT_COLUMNS = ["first_name", "last_name", "email", "affiliation", "mode", "status", "answers"]


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
                columns.append(Column(field, question.label, (field,), _answer(question), 24))
        else:
            columns.append(PERSON_COLUMNS[key])
    return columns


class Export:
    """The rows of a participant queryset for the chosen columns, times in the event's zone."""

    def __init__(self, rows: QuerySet[Registration], columns: list[Column], event: Event):
        self.rows = rows
        self.columns = columns
        self.event = event
        self.zone = event.zone
        self.rows_sent = 0

    def labels(self) -> list[str]:
        """Column headers; a time's header names the zone its cells are in."""
        return [
            f"{column.label} ({self.event.time_zone})" if column.moment else column.label
            for column in self.columns
        ]

    def _values(self) -> Iterator[list]:
        fields = sorted({field for column in self.columns for field in column.fields})
        positions = None
        if WAITING_POSITION in fields:
            fields.remove(WAITING_POSITION)
            positions = self._waiting_positions()
            fields.append("pk")
        readers = [self._reader(column, fields, positions) for column in self.columns]
        moments = [index for index, column in enumerate(self.columns) if column.moment]
        zone = self.zone
        for row in self.rows.values_list(*fields).iterator(chunk_size=CHUNK):
            values = [read(row) for read in readers]
            for index in moments:
                if values[index] is not None:
                    values[index] = values[index].astimezone(zone)
            yield values

    @staticmethod
    def _reader(column: Column, fields: list[str], positions: dict | None) -> Callable:
        """The column's cell from a row tuple, its field positions looked up once."""
        if column.fields[-1] == WAITING_POSITION:  # from the lines counted up front
            line, pk = fields.index(column.fields[0]), fields.index("pk")
            return lambda row: column.read(row[line], positions.get(row[pk]))
        get = itemgetter(*(fields.index(field) for field in column.fields))
        if column.read is None:
            return get
        if len(column.fields) == 1:
            return lambda row: column.read(get(row))
        return lambda row: column.read(*get(row))

    def _waiting_positions(self) -> dict[int, int]:
        """Each waiting registration's place in its line, from one ordered query of the event's
        lines: counting the people ahead row by row (as a page of the list does) grows with the
        square of the list, 15 s for 5,000 people waiting among 50,000."""
        lines = with_waiting_positions(
            Registration.objects.filter(event=self.event).filter(in_line())
        ).order_by(*LINE_ORDER)
        counted: Counter[str] = Counter()
        positions = {}
        for pk, line in lines.values_list("pk", "waiting_line"):
            counted[line] += 1
            positions[pk] = counted[line]
        return positions

    def csv_chunks(self) -> Iterator[bytes]:
        """UTF-8 with a byte-order mark, so Excel opens accents and non-Latin names right."""
        buffer = _LineBuffer()
        writer = csv.writer(buffer)
        header = [defuse(label) for label in self.labels()]
        yield ("\ufeff" + writer.writerow(header)).encode()
        batch: list[str] = []
        for values in self._values():
            batch.append(
                writer.writerow(
                    [
                        value.isoformat(timespec="minutes")
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
        """A temporary .xlsx file, written row by row; an open handle on it, its name already gone.

        rust_xlsxwriter (through rustpy-xlsxwriter) in constant-memory mode takes the rows from a
        generator and writes each to disk as the next begins, so memory stays flat, and a whole
        export takes about a third of XlsxWriter's time. It writes every str as text, never a
        formula, link or number, and refuses text past Excel's cell limit, so that is cut first.
        It names columns by the first row's keys: repeated labels get numbered, and a list with
        nobody in it still gets its header from one blank row (a blank row writes no cells).
        """
        header = _unique(_xlsx_text(label) for label in self.labels())
        moments = {index for index, column in enumerate(self.columns) if column.moment}
        texts = [index for index in range(len(self.columns)) if index not in moments]
        self.rows_in_file = 0

        def records() -> Iterator[dict]:
            for values in self._values():
                for index in texts:  # "" and None stay empty cells
                    values[index] = _xlsx_text(values[index]) if values[index] else None
                for index in moments:  # a spreadsheet's dates have no zone: the header names it
                    if values[index] is not None:
                        values[index] = values[index].replace(tzinfo=None)
                self.rows_in_file += 1
                yield dict(zip(header, values, strict=True))
            if not self.rows_in_file:
                yield dict.fromkeys(header)

        rows = records()
        # closing: a writer that stops half-way still ends the query's cursor here, not at some
        # later garbage collection inside another transaction.
        with closing(rows), scratch_path(".xlsx") as path:
            write_worksheet(
                rows,
                path,
                sheet_name="Participants",
                freeze_row=1,
                freeze_col=0,
                bold_headers=True,
                autofilter=True,
                datetime_format="yyyy-mm-dd hh:mm",
                column_widths=[
                    # wide enough for the header and its filter button
                    max(column.width, min(len(label) + 4, 60))
                    for column, label in zip(self.columns, header, strict=True)
                ],
            )
            # Opened before the name goes: the data stay until the response closes the handle.
            return open(path, "rb")

    def json_chunks(self) -> Iterator[bytes]:
        """A JSON array of objects; answers nested under their question's label."""
        yield b"["
        first = True
        for values in self._values():
            item: dict = {}
            for column, value in zip(self.columns, values, strict=True):
                if isinstance(value, datetime):
                    value = value.isoformat()
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


def _answer(question: Question) -> Callable[[str | None], str]:
    """An answer's cell: as people read it (a country by its name, several choices by commas)."""
    return lambda value: question_kinds.display(question, value or "")


class _LineBuffer:
    """csv.writer writes into this and gets the line back, so nothing accumulates."""

    def write(self, text: str) -> str:
        return text


def _xlsx_text(value: str) -> str:
    """XML cannot hold most control characters: they are dropped, then formulas defused, then
    the text cut to what a cell holds (the writer refuses more)."""
    if not value.isprintable():  # the rare text with control characters (or tabs, breaks)
        value = XML_ILLEGAL.sub("", value)
    return defuse(value)[:XLSX_CELL_LIMIT]


def _unique(labels: Iterable[str]) -> list[str]:
    """Labels made distinct for the writer, which names columns by dict keys: a repeated one
    becomes "Label (2)", "Label (3)"..."""
    taken: set[str] = set()
    unique = []
    for label in labels:
        name, number = label, 1
        while name in taken:
            number += 1
            name = f"{label} ({number})"
        taken.add(name)
        unique.append(name)
    return unique
