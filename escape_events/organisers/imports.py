"""Reading a list of people (CSV from Indico, a spreadsheet, a mailing list) before importing it.

`read_people` turns the uploaded bytes into rows or says plainly why it cannot; `preview` tells,
row by row, what an import would do now (make an account, register an existing one, skip
someone already registered, refuse with the reason), storing nothing. The valid rows travel to
the confirmation signed (`seal`/`unseal`), so nothing is kept on the server in between.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from escape_events.events.models import Event
from escape_events.events.when import date_text
from escape_events.registrations import question_kinds
from escape_events.registrations.attendance import ListedAttendance
from escape_events.registrations.availability import load_availability
from escape_events.registrations.models import Question, Registration, RegistrationSettings

MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000
SEAL_MAX_AGE = 3600  # seconds between the preview and the confirmation
Mode = Registration.Mode

# Column titles as Indico, pretix, Eventbrite and people write them (compared without case,
# spaces or punctuation).
HEADERS = {
    "email": {"email", "emailaddress", "mail", "e-mail"},
    "first_name": {"firstname", "givenname", "first", "forename", "prenom"},
    "last_name": {"lastname", "familyname", "surname", "last", "nom"},
    "name": {"name", "fullname", "participant", "participantname", "attendee"},
    "affiliation": {
        "affiliation", "institution", "institute", "organisation", "organization",
        "company", "university",
    },
    "mode": {
        "mode", "attendance", "participation", "attendancemode", "participationmode",
        "howwillyouattend", "attendancetype", "participationtype",
    },
}  # fmt: skip
MODE_WORDS = {
    Mode.ONSITE: {"onsite", "inperson", "person", "physical", "local", "venue", "presential"},
    Mode.REMOTE: {"remote", "online", "virtual", "videoconference", "zoom", "remotely"},
}


class ListUnreadable(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class PersonRow:
    line: int
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    affiliation: str = ""
    mode: str = ""
    mode_text: str = ""
    # Question id (as text: the rows travel as JSON) -> answer, from columns named as a question.
    answers: dict[str, str] = field(default_factory=dict)


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if c.isascii()))


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without Excel's byte-order mark), else Windows-1252 as Excel on Windows
    writes "CSV"; the preview shows names, so a wrong guess is seen before anything is stored."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise ListUnreadable(
            _("The file is neither UTF-8 nor Windows-1252 text; save it as “CSV UTF-8”.")
        ) from None


def read_people(
    data: bytes, *, default_mode: str, questions: Iterable[Question] = ()
) -> tuple[list[PersonRow], str]:
    """The people in a CSV file, and the encoding it was read with; a column titled as one of
    the event's `questions` gives that question's answers (checked in `preview`)."""
    if len(data) > MAX_BYTES:
        raise ListUnreadable(
            _("The file is larger than %(size)d KB; split it.") % {"size": MAX_BYTES // 1024}
        )
    if b"\x00" in data[:4096]:
        raise ListUnreadable(_("This is not a CSV text file (an Excel .xlsx? save it as CSV)."))
    text, encoding = _decode(data)
    if not text.strip():
        raise ListUnreadable(_("The file is empty."))
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except csv.Error as error:
        raise ListUnreadable(
            _("The file is not valid CSV: %(error)s.") % {"error": error}
        ) from None
    columns = {}
    asked = {
        _key(question.label): question.pk
        for question in questions
        if question_kinds.kind_of(question).asks
    }
    answer_columns: dict[int, int] = {}
    for index, title in enumerate(header):
        for name, words in HEADERS.items():
            if _key(title) in {_key(word) for word in words}:
                columns.setdefault(name, index)
                break
        else:
            if _key(title) in asked:
                answer_columns.setdefault(asked[_key(title)], index)
    if "email" not in columns or not (
        "name" in columns or {"first_name", "last_name"} <= columns.keys()
    ):
        seen = ", ".join(f"“{title.strip()}”" for title in header if title.strip())
        raise ListUnreadable(
            _(
                "The first line must name the columns: an e-mail column and either a name "
                "column or first and family name columns (and optionally affiliation and mode). "
                "Found: %(found)s."
            )
            % {"found": seen or pgettext("no columns", "none")}
        )
    rows = []
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ListUnreadable(
                    _("The list has more than %(most)d people; split it.") % {"most": MAX_ROWS}
                )
            row = _row(reader.line_num, values, columns, default_mode)
            row.answers = {
                str(pk): values[index].strip()
                for pk, index in answer_columns.items()
                if index < len(values) and values[index].strip()
            }
            rows.append(row)
    except csv.Error as error:
        raise ListUnreadable(
            _("Line %(line)d is not valid CSV: %(error)s.")
            % {"line": reader.line_num, "error": error}
        ) from None
    if not rows:
        raise ListUnreadable(_("The file names its columns but lists nobody."))
    return rows, encoding


def _row(line: int, values: list[str], columns: dict[str, int], default_mode: str) -> PersonRow:
    def get(field: str) -> str:
        index = columns.get(field)
        return " ".join(values[index].split()) if index is not None and index < len(values) else ""

    first, last = get("first_name"), get("last_name")
    if not (first or last):
        full = get("name")
        if "," in full:  # "Lovelace, Ada", as Indico lists people
            last, _comma, first = (part.strip() for part in full.partition(","))
        else:
            first, _space, last = full.partition(" ")
    mode_text = get("mode")
    mode = default_mode if not mode_text else _mode(mode_text)
    return PersonRow(
        line=line,
        email=get("email"),
        first_name=first,
        last_name=last,
        affiliation=get("affiliation"),
        mode=mode,
        mode_text=mode_text,
    )


def _mode(text: str) -> str:
    key = _key(text)
    for mode, words in MODE_WORDS.items():
        if key in words or any(key.startswith(word) for word in words):
            return mode
    return ""


@dataclass
class Outcome:
    row: PersonRow
    action: str  # "create", "register", "skip" or "refuse"
    reason: str = ""  # why refused or skipped; for the others, what will happen
    place: str = ""  # "confirmed", "waiting list", "pending approval" (as of now)

    @property
    def will_store(self) -> bool:
        return self.action in ("create", "register")


def preview(
    event: Event, rows: list[PersonRow], questions: Iterable[Question] = ()
) -> list[Outcome]:
    """What importing these rows would do now, row by row, in a fixed number of queries; a row
    whose answer its question does not take is refused, the others' answers are kept as stored."""
    settings = RegistrationSettings.objects.filter(event=event).first()
    questions = {str(question.pk): question for question in questions}
    written = {row.email for row in rows if row.email}
    wanted = written | {email.casefold() for email in written}
    accounts = {
        email.casefold(): pk
        for pk, email in get_user_model()
        .objects.filter(email__in=wanted)
        .values_list("pk", "email")
    }
    accounts.update(
        (email.casefold(), user_id)
        for user_id, email in EmailAddress.objects.filter(email__in=wanted).values_list(
            "user_id", "email"
        )
    )
    registered = dict(
        Registration.objects.filter(
            event=event,
            status__in=Registration.ACTIVE_STATUSES,
            user_id__in=set(accounts.values()),
        ).values_list("user_id", "status")
    )
    offers = {item.mode: item for item in load_availability(settings).offered} if settings else {}
    free = {mode: item.free for mode, item in offers.items()}
    queued = {mode: item.waiting > 0 for mode, item in offers.items()}
    seen: dict[str, int] = {}
    outcomes = []
    for row in rows:
        refusal = _refusal(row, settings, seen) or _answer_refusal(row, questions)
        if refusal:
            outcomes.append(Outcome(row, "refuse", refusal))
            continue
        address = row.email.casefold()
        seen[address] = row.line
        user_id = accounts.get(address)
        if user_id in registered:
            status = dict(Registration.Status.choices)[registered[user_id]].lower()
            outcomes.append(
                Outcome(row, "skip", _("already registered (%(status)s)") % {"status": status})
            )
            continue
        place = _place(row.mode, free, queued, settings)
        if user_id is None:
            outcomes.append(
                Outcome(row, "create", _("new account; invited to choose a password"), place)
            )
        else:
            outcomes.append(Outcome(row, "register", _("has an account"), place))
    return outcomes


def _refusal(row: PersonRow, settings, seen: dict[str, int]) -> str:
    if not row.email:
        return _("no e-mail address")
    try:
        validate_email(row.email)
    except ValidationError:
        return _("“%(email)s” is not an e-mail address") % {"email": row.email}
    if row.email.casefold() in seen:
        return _("the same address as line %(line)d") % {"line": seen[row.email.casefold()]}
    if not (row.first_name and row.last_name):
        return _("first and family name needed")
    if len(row.first_name) > 150 or len(row.last_name) > 150 or len(row.affiliation) > 200:
        return _("a name or affiliation is too long")
    if not row.mode:
        return _("mode “%(mode)s” unknown (on-site or remote)") % {"mode": row.mode_text}
    if settings is not None and not settings.allows(row.mode):
        return _("%(mode)s attendance is not offered") % {"mode": Mode(row.mode).label.lower()}
    return ""


def _answer_refusal(row: PersonRow, questions: dict[str, Question]) -> str:
    """Why an answer of the row is refused (as the form says it), or ""; keeps them as stored."""
    for pk, value in list(row.answers.items()):
        question = questions[pk]
        try:
            row.answers[pk] = question_kinds.clean_answer(question, value, required=False)
        except question_kinds.AnswerInvalid as invalid:
            return _("“%(question)s”: %(problem)s") % {
                "question": question.label,
                "problem": invalid.message,
            }
    return ""


def _place(mode: str, free: dict, queued: dict, settings) -> str:
    """Where the person would land with the seats as they are now (and the rows before)."""
    left = free.get(mode)
    if queued.get(mode) or (left is not None and left <= 0):
        queued[mode] = True
        return _("waiting list")
    if left is not None:
        free[mode] = left - 1
    return (
        _("pending approval")
        if settings and settings.needs_approval
        else pgettext("registration status", "confirmed")
    )


def seal(event: Event, user, rows: list[PersonRow]) -> str:
    """The rows to import, signed for this event and organiser, valid for an hour."""
    return signing.dumps([asdict(row) for row in rows], salt=_salt(event, user), compress=True)


def unseal(event: Event, user, token: str) -> list[PersonRow]:
    try:
        data = signing.loads(token, salt=_salt(event, user), max_age=SEAL_MAX_AGE)
    except signing.SignatureExpired:
        raise ListUnreadable(
            _("The preview is more than an hour old; upload the file again.")
        ) from None
    except signing.BadSignature:
        raise ListUnreadable(
            _("The import could not be confirmed; upload the file again.")
        ) from None
    return [PersonRow(**item) for item in data]


def _salt(event: Event, user) -> str:
    return f"escape_events.import:{event.pk}:{user.pk}"


# Video-conference attendance lists: Zoom ("User Email", "Join Time", "Duration (Minutes)"),
# Teams ("Email", "First Join", "In-Meeting Duration"), Indico and spreadsheets.
ATTENDANCE_HEADERS = {
    "email": HEADERS["email"] | {"useremail", "attendeeemail", "participantemail", "emailaddress"},
    "joined": {"jointime", "firstjoin", "firstjointime", "joined", "starttime", "date"},
    "minutes": {"durationminutes", "duration", "minutes", "inmeetingduration", "timeinmeeting",
                "attendanceduration", "timeinsessionminutes"},
}  # fmt: skip
JOIN_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d",
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%y, %I:%M:%S %p", "%d.%m.%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
)  # fmt: skip
MAX_ATTENDANCE_ROWS = 20_000


def _minutes(text: str) -> int | None:
    """95, "95.5", "1h 35m", "1h 35m 12s", "01:35:00"; None for an empty cell."""
    text = text.strip().lower()
    if not text:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return round(float(text))
    if match := re.fullmatch(r"(\d+):(\d{2})(?::(\d{2}))?", text):
        return int(match[1]) * 60 + int(match[2]) + (1 if match[3] and int(match[3]) >= 30 else 0)
    match = re.fullmatch(r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?", text)
    if match and any(match.groups()):
        return int(match[1] or 0) * 60 + int(match[2] or 0)
    raise ValueError(
        _("“%(text)s” is not a duration (minutes, 1h 35m or 01:35:00)") % {"text": text[:40]}
    )


def _join_day(text: str):
    text = " ".join(text.split())
    for pattern in JOIN_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(
        _("“%(text)s” is not a date and time this import reads (2027-01-25 14:02)")
        % {"text": text[:40]}
    )


def _cell(cells: list[str], columns: dict[str, int], field: str) -> str:
    index = columns.get(field)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def read_attendance_list(data: bytes, *, days: list, default_day=None):
    """The people a video-conference attendance list names, per day, and the rows it could not
    read (with their line and why). Days outside `days` (the event's) are refused per row."""
    if b"\x00" in data[:4096]:
        raise ListUnreadable(_("This is not a CSV text file (an Excel .xlsx? save it as CSV)."))
    text, _encoding = _decode(data)
    if not text.strip():
        raise ListUnreadable(_("The file is empty."))
    # Zoom puts a block of meeting details above the participants: start at the e-mail header.
    lines = text.splitlines()
    start = next(
        (n for n, line in enumerate(lines[:50])
         if any(_key(cell) in ATTENDANCE_HEADERS["email"] for cell in re.split(r"[,;\t]", line))),
        None,
    )  # fmt: skip
    if start is None:
        raise ListUnreadable(
            _("No e-mail column found: the list needs a column titled “Email” (or “User Email”).")
        )
    body = "\n".join(lines[start:])
    try:
        dialect = csv.Sniffer().sniff(body[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(body), dialect)
    header = next(reader)
    columns = {}
    for index, title in enumerate(header):
        for column, names in ATTENDANCE_HEADERS.items():
            if _key(title) in names:
                columns.setdefault(column, index)
    if "joined" not in columns and default_day is None:
        raise ListUnreadable(_("The list has no join-time column: choose the day it is for."))
    rows, problems = [], []
    try:
        for line, cells in enumerate(reader, start=start + 2):
            if line - start > MAX_ATTENDANCE_ROWS:
                raise ListUnreadable(
                    _("More than %(most)d rows: split the list.") % {"most": MAX_ATTENDANCE_ROWS}
                )
            if not any(cell.strip() for cell in cells):
                continue
            email = _cell(cells, columns, "email")
            try:
                validate_email(email)
                day = (
                    _join_day(_cell(cells, columns, "joined"))
                    if _cell(cells, columns, "joined")
                    else default_day
                )
                if day is None:
                    raise ValueError(_("no join time, and no day chosen for such rows"))
                if day not in days:
                    raise ValueError(
                        _("%(day)s is not a day of this event") % {"day": date_text(day)}
                    )
                rows.append(
                    ListedAttendance(
                        email=email, day=day, minutes=_minutes(_cell(cells, columns, "minutes"))
                    )
                )
            except ValidationError:
                problems.append(
                    _("Line %(line)d: “%(email)s” is not an e-mail address.")
                    % {"line": line, "email": email[:80]}
                )
            except ValueError as error:
                problems.append(_("Line %(line)d: %(problem)s.") % {"line": line, "problem": error})
    except csv.Error as error:
        raise ListUnreadable(
            _("The file is not valid CSV: %(error)s.") % {"error": error}
        ) from None
    return rows, problems
