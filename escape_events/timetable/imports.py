"""Importing an agenda from a CSV file: read and check every row first (the preview), store
only when the organiser confirms, all rows or none.

Columns (first row, any order, case-insensitive): `title` and times are required. Times are
`start` and `end` (14:00, or 2019-10-14 14:00) or one `time` column (14:00-14:30); `date`
(2019-10-14) may be left out for a one-day event. Optional: `speakers` (separated by `;`, an
affiliation in brackets: "Simone (CERN); Aris"), `kind` (talk, hands-on exercise, discussion,
break, session), `session` (its title; created if new), `location`, `description`.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction

from escape_events.events import locking
from escape_events.events.models import Event

from . import rules, services
from .models import EntryKind, Session

MAX_BYTES = 1024 * 1024
MAX_ROWS = 500
COLUMNS = (
    "date", "start", "end", "time", "title", "speakers", "kind", "session", "location",
    "description",
)  # fmt: skip
_KINDS = {
    **{value: value for value in EntryKind.values},
    **{label.lower(): value for value, label in EntryKind.choices},
    "hands-on": EntryKind.HANDS_ON,
    "exercise": EntryKind.HANDS_ON,
}
_RANGE = re.compile(r"^\s*(\d{1,2}[:.]\d{2})\s*[-–—]\s*(\d{1,2}[:.]\d{2})\s*$")
_PERSON = re.compile(r"^(?P<name>[^()]+?)\s*(?:\((?P<affiliation>[^()]*)\))?$")


@dataclass
class ImportRow:
    number: int  # the line in the file (the header is line 1)
    title: str = ""
    start: datetime | None = None
    end: datetime | None = None
    kind: str = EntryKind.TALK
    session: str = ""
    new_session: bool = False
    location: str = ""
    description: str = ""
    speakers: list[rules.Person] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return EntryKind(self.kind).label

    @property
    def speakers_text(self) -> str:
        return ", ".join(
            f"{p.name} ({p.affiliation})" if p.affiliation else p.name for p in self.speakers
        )


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # about the whole file
    text: str = ""

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors and not self.bad_rows


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            "The file is not UTF-8 text. In Excel choose “CSV UTF-8” when saving."
        ) from None


def _dialect(text: str):
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _clock(value: str) -> time:
    return time.fromisoformat(value.strip().replace(".", ":").zfill(5))


def _moment(event: Event, day: date | None, value: str, label: str) -> datetime:
    """A time of day on `day`, or a full date and time, in the event's zone."""
    value = value.strip()
    if not value:
        raise ValueError(f"the {label} time is missing")
    try:
        if len(value) > 5:
            moment = datetime.fromisoformat(value.replace("T", " "))
            return moment.replace(tzinfo=event.zone)
        if day is None:
            raise ValueError(f"give the date of the {label} (the event lasts several days)")
        return datetime.combine(day, _clock(value), event.zone)
    except (TypeError, ValueError) as error:
        if "date of" in str(error):
            raise
        raise ValueError(
            f"the {label} “{value}” is not a time such as 14:00 or 2019-10-14 14:00"
        ) from None


def _speakers(text: str) -> list[rules.Person]:
    people = []
    for part in re.split(r"[;\n]", text):
        part = part.strip()
        if not part:
            continue
        match = _PERSON.match(part)
        if match is None:
            raise ValueError(f"cannot read the speaker “{part}”: write Name (Affiliation)")
        people.append(rules.Person(match["name"].strip(), (match["affiliation"] or "").strip()))
    return people


def _read_row(event: Event, number: int, record: dict, sessions: dict[str, int]) -> ImportRow:
    row = ImportRow(number=number)
    get = lambda name: (record.get(name) or "").strip()  # noqa: E731
    row.title = get("title")
    if not row.title:
        row.errors.append("The title is missing.")
    day, date_ok = None, True
    if get("date"):
        try:
            day = date.fromisoformat(get("date"))
        except ValueError:
            date_ok = False
            row.errors.append(f"The date “{get('date')}” is not a date such as 2019-10-14.")
    elif not event.is_multi_day:
        day = event.local_start.date()
    start_text, end_text = get("start"), get("end")
    if get("time"):
        match = _RANGE.match(get("time"))
        if match is None:
            row.errors.append(f"The time “{get('time')}” is not a range such as 14:00-14:30.")
        else:
            start_text, end_text = match.groups()
    if date_ok:
        for label, text in (("start", start_text), ("end", end_text)):
            try:
                setattr(row, label, _moment(event, day, text, label))
            except ValueError as error:
                row.errors.append(str(error).capitalize() + ".")
    kind = get("kind").lower()
    if kind:
        if kind not in _KINDS:
            row.errors.append(
                f"Unknown kind “{get('kind')}”: use talk, hands-on exercise, discussion, break "
                "or session."
            )
        else:
            row.kind = _KINDS[kind]
    try:
        row.speakers = _speakers(get("speakers"))
    except ValueError as error:
        row.errors.append(str(error).capitalize() + ".")
    row.session, row.location, row.description = get("session"), get("location"), get("description")
    if row.session and row.session.lower() not in sessions:
        row.new_session = True
    for label, text, limit in (("title", row.title, 200), ("session", row.session, 200),
                               ("location", row.location, 200)):  # fmt: skip
        if len(text) > limit or any(ord(c) < 32 for c in text):
            row.errors.append(f"The {label} must be one line of at most {limit} characters.")
    if len(row.description) > rules.TEXT_LIMITS["description"]:
        row.errors.append("The description is too long.")
    return row


def _slots(rows: list[ImportRow], sessions: dict[str, int]) -> list[rules.Slot]:
    """New sessions get stand-in ids (negative), so their rows are checked against each other."""
    stand_ins: dict[str, int] = {}
    slots = []
    for row in rows:
        key = row.session.lower()
        if not key:
            session_id = None
        elif key in sessions:
            session_id = sessions[key]
        else:
            session_id = stand_ins.setdefault(key, -1 - len(stand_ins))
        slots.append(rules.Slot(row.number, row.title, row.start, row.end, session_id))
    return slots


def read_agenda_csv(event: Event, data: bytes | str) -> ImportPreview:
    """Every row read and checked against the event and its agenda; nothing is stored."""
    preview = ImportPreview()
    size = len(data.encode() if isinstance(data, str) else data)
    if size > MAX_BYTES:
        preview.errors.append(f"The file is larger than {MAX_BYTES // 1024} KB.")
        return preview
    try:
        text = data if isinstance(data, str) else _decode(data)
    except ValidationError as error:
        preview.errors.extend(error.messages)
        return preview
    preview.text = text.replace("\r\n", "\n")
    reader = csv.DictReader(io.StringIO(preview.text), dialect=_dialect(preview.text))
    try:
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as error:
        preview.errors.append(f"The file cannot be read as CSV: {error}.")
        return preview
    reader.fieldnames = header
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        preview.errors.append(
            f"Unknown column “{unknown[0]}”. The columns are: {', '.join(COLUMNS)}."
        )
    has_times = "time" in header or ("start" in header and "end" in header)
    if "title" not in header or not has_times:
        preview.errors.append(
            "The first line must name the columns, with at least title and either start and "
            "end or time."
        )
    if preview.errors:
        return preview
    sessions = {
        title.lower(): pk
        for pk, title in Session.objects.filter(event=event).values_list("pk", "title")
    }
    try:
        for record in reader:
            if len(preview.rows) >= MAX_ROWS:
                preview.errors.append(f"At most {MAX_ROWS} rows can be imported at once.")
                return preview
            if not any(
                (value or "").strip() for value in record.values() if isinstance(value, str)
            ):
                continue
            if None in record:
                row = ImportRow(
                    number=reader.line_num, errors=["This row has more cells than the header."]
                )
            else:
                row = _read_row(event, reader.line_num, record, sessions)
            preview.rows.append(row)
    except csv.Error as error:
        preview.errors.append(f"Line {reader.line_num} cannot be read as CSV: {error}.")
        return preview
    if not preview.rows:
        preview.errors.append("The file has no rows below its header.")
    timed = [row for row in preview.rows if row.start and row.end and not row.errors]
    problems = rules.agenda_problems(event, _slots(timed, sessions))
    for row in timed:
        for message in problems.get(row.number, []):
            row.errors.append(message)
    return preview


@transaction.atomic
def import_agenda(*, event: Event, text: str) -> ImportPreview:
    """Read the file again and store every row, or nothing when any row is wrong now (the
    agenda may have changed since the preview)."""
    locked = locking.lock_event(event.pk)
    preview = read_agenda_csv(locked, text)
    if not preview.ok:
        return preview
    sessions = {session.title.lower(): session for session in Session.objects.filter(event=locked)}
    for row in preview.rows:
        key = row.session.lower()
        if key and key not in sessions:
            sessions[key] = services.add_session(event=locked, values={"title": row.session})
        services.add_entry(
            event=locked,
            values={
                "start": row.start,
                "end": row.end,
                "title": row.title,
                "kind": row.kind,
                "description": row.description,
                "location": row.location,
                "session": sessions.get(key),
            },
            speakers=row.speakers,
        )
    return preview
