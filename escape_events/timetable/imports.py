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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
            gettext("The file is not UTF-8 text. In Excel choose “CSV UTF-8” when saving.")
        ) from None


def _dialect(text: str):
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _clock(value: str) -> time:
    return time.fromisoformat(value.strip().replace(".", ":").zfill(5))


class _Unreadable(ValueError):
    """A cell that cannot be read, with the message the preview shows."""


# Whole sentences per column ("start", "end"): the languages say them differently.
_TIME_MISSING = {
    "start": _("The start time is missing."),
    "end": _("The end time is missing."),
}
_DATE_NEEDED = {
    "start": _("Give the date of the start (the event lasts several days)."),
    "end": _("Give the date of the end (the event lasts several days)."),
}
_NOT_A_TIME = {
    "start": _("The start “%(value)s” is not a time such as 14:00 or 2019-10-14 14:00."),
    "end": _("The end “%(value)s” is not a time such as 14:00 or 2019-10-14 14:00."),
}


def _moment(event: Event, day: date | None, value: str, label: str) -> datetime:
    """A time of day on `day`, or a full date and time, in the event's zone; `label` is the
    column, "start" or "end"."""
    value = value.strip()
    if not value:
        raise _Unreadable(str(_TIME_MISSING[label]))
    if len(value) <= 5 and day is None:
        raise _Unreadable(str(_DATE_NEEDED[label]))
    try:
        if len(value) > 5:
            moment = datetime.fromisoformat(value.replace("T", " "))
            return moment.replace(tzinfo=event.zone)
        return datetime.combine(day, _clock(value), event.zone)
    except (TypeError, ValueError):
        raise _Unreadable(str(_NOT_A_TIME[label]) % {"value": value}) from None


_TOO_LONG = {
    "title": _("The title must be one line of at most %(limit)s characters."),
    "session": _("The session must be one line of at most %(limit)s characters."),
    "location": _("The location must be one line of at most %(limit)s characters."),
}


def _speakers(text: str) -> list[rules.Person]:
    people = []
    for part in re.split(r"[;\n]", text):
        part = part.strip()
        if not part:
            continue
        match = _PERSON.match(part)
        if match is None:
            raise _Unreadable(
                # Translators: "Name (Affiliation)" shows how to write a speaker in the file.
                gettext("Cannot read the speaker “%(part)s”: write Name (Affiliation).")
                % {"part": part}
            )
        people.append(rules.Person(match["name"].strip(), (match["affiliation"] or "").strip()))
    return people


def _read_row(event: Event, number: int, record: dict, sessions: dict[str, int]) -> ImportRow:
    row = ImportRow(number=number)
    get = lambda name: (record.get(name) or "").strip()  # noqa: E731
    row.title = get("title")
    if not row.title:
        row.errors.append(gettext("The title is missing."))
    day, date_ok = None, True
    if get("date"):
        try:
            day = date.fromisoformat(get("date"))
        except ValueError:
            date_ok = False
            row.errors.append(
                gettext("The date “%(value)s” is not a date such as 2019-10-14.")
                % {"value": get("date")}
            )
    elif not event.is_multi_day:
        day = event.local_start.date()
    start_text, end_text = get("start"), get("end")
    if get("time"):
        match = _RANGE.match(get("time"))
        if match is None:
            row.errors.append(
                gettext("The time “%(value)s” is not a range such as 14:00-14:30.")
                % {"value": get("time")}
            )
        else:
            start_text, end_text = match.groups()
    if date_ok:
        for label, text in (("start", start_text), ("end", end_text)):
            try:
                setattr(row, label, _moment(event, day, text, label))
            except _Unreadable as error:
                row.errors.append(str(error))
    kind = get("kind").lower()
    if kind:
        if kind not in _KINDS:
            row.errors.append(
                # Translators: the kinds are the words the file uses; keep them in English.
                gettext(
                    "Unknown kind “%(value)s”: use talk, hands-on exercise, discussion, break "
                    "or session."
                )
                % {"value": get("kind")}
            )
        else:
            row.kind = _KINDS[kind]
    try:
        row.speakers = _speakers(get("speakers"))
    except _Unreadable as error:
        row.errors.append(str(error))
    row.session, row.location, row.description = get("session"), get("location"), get("description")
    if row.session and row.session.lower() not in sessions:
        row.new_session = True
    for message, text, limit in ((_TOO_LONG["title"], row.title, 200),
                                 (_TOO_LONG["session"], row.session, 200),
                                 (_TOO_LONG["location"], row.location, 200)):  # fmt: skip
        if len(text) > limit or any(ord(c) < 32 for c in text):
            row.errors.append(str(message) % {"limit": limit})
    if len(row.description) > rules.TEXT_LIMITS["description"]:
        row.errors.append(gettext("The description is too long."))
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
        preview.errors.append(
            gettext("The file is larger than %(size)s KB.") % {"size": MAX_BYTES // 1024}
        )
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
        preview.errors.append(
            gettext("The file cannot be read as CSV: %(error)s.") % {"error": error}
        )
        return preview
    reader.fieldnames = header
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        preview.errors.append(
            gettext("Unknown column “%(column)s”. The columns are: %(columns)s.")
            % {"column": unknown[0], "columns": ", ".join(COLUMNS)}
        )
    has_times = "time" in header or ("start" in header and "end" in header)
    if "title" not in header or not has_times:
        preview.errors.append(
            # Translators: title, start, end and time are column names; keep them in English.
            gettext(
                "The first line must name the columns, with at least title and either start and "
                "end or time."
            )
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
                preview.errors.append(
                    gettext("At most %(count)s rows can be imported at once.") % {"count": MAX_ROWS}
                )
                return preview
            if not any(
                (value or "").strip() for value in record.values() if isinstance(value, str)
            ):
                continue
            if None in record:
                row = ImportRow(
                    number=reader.line_num,
                    errors=[gettext("This row has more cells than the header.")],
                )
            else:
                row = _read_row(event, reader.line_num, record, sessions)
            preview.rows.append(row)
    except csv.Error as error:
        preview.errors.append(
            gettext("Line %(line)s cannot be read as CSV: %(error)s.")
            % {"line": reader.line_num, "error": error}
        )
        return preview
    if not preview.rows:
        preview.errors.append(gettext("The file has no rows below its header."))
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
