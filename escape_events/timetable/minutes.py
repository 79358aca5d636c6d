"""Minutes per agenda item or per meeting, with their revisions: saving (refusing a lost update),
restoring an earlier text as a new revision, and the line-by-line difference of two revisions.

An edit form carries the revision it started from; a save whose base is no longer the newest
is refused with who saved in between, so two secretaries never silently overwrite each other.
"""

import difflib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from escape_events.accounts.models import display_name_of
from escape_events.events.models import Event
from escape_events.events.when import clock_text, date_text

from .models import Entry, Minutes, MinutesRevision

MAX_MINUTES_LENGTH = 200_000


class MinutesConflict(Exception):
    """Someone saved these minutes after the editor opened them."""

    def __init__(self, newest: MinutesRevision):
        self.newest = newest
        when = timezone.localtime(newest.created_at)
        values = {"number": newest.number, "time": clock_text(when), "date": date_text(when)}
        if newest.author:
            self.summary = gettext(
                "%(who)s saved these minutes (revision %(number)s) at %(time)s on %(date)s, "
                "after you opened them."
            ) % {**values, "who": display_name_of(newest.author)}
        else:
            self.summary = (
                gettext(
                    "Someone saved these minutes (revision %(number)s) at %(time)s on %(date)s, "
                    "after you opened them."
                )
                % values
            )
        super().__init__(
            gettext(
                "%(summary)s Your text was not saved: it is below, with what changed between "
                "theirs and yours; merge the two and save again."
            )
            % {"summary": self.summary}
        )


def normalise(text: str) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def minutes_of(event: Event, entry: Entry | None = None) -> Minutes | None:
    """The minutes of the meeting (or of one of its items), None when there are none yet."""
    return Minutes.objects.filter(event=event, entry=entry).first()


def _locked(event: Event, entry: Entry | None, *, create: bool) -> Minutes | None:
    """The minutes row, locked; made first when `create`. Two first saves at once: the second
    waits on the unique index, then finds the first's row (and its revision) under the lock."""
    # Ordered by pk alone: the default ordering joins the agenda item, which PostgreSQL will not
    # lock on the nullable side of an outer join.
    mine = Minutes.objects.select_for_update().filter(event=event, entry=entry).order_by("pk")
    found = mine.first()
    if found is not None or not create:
        return found
    try:
        with transaction.atomic():
            return Minutes.objects.create(event=event, entry=entry)
    except IntegrityError:
        return mine.get()


@transaction.atomic
def save_minutes(
    *,
    event: Event,
    entry: Entry | None = None,
    text: str,
    base_revision: int,
    by,
    restored_from: int | None = None,
    now=None,
) -> MinutesRevision | None:
    """Store `text` as the next revision; None when it is the text already there.

    `base_revision` is the revision the editor started from (0 for none yet): under the row's
    lock it must still be the newest, else MinutesConflict."""
    if entry is not None and entry.event_id != event.pk:
        raise ValueError("The agenda item belongs to another event.")
    text = normalise(text)
    minutes = _locked(event, entry, create=bool(text))
    if minutes is None:
        return None  # nothing written, nothing to write
    if minutes.revision != base_revision:
        newest = minutes.revisions.select_related("author").get(number=minutes.revision)
        raise MinutesConflict(newest)
    if text == minutes.text and minutes.revision:
        return None
    minutes.revision += 1
    minutes.text = text
    minutes.save(update_fields=["revision", "text", "updated_at"])
    return MinutesRevision.objects.create(
        minutes=minutes,
        number=minutes.revision,
        text=text,
        author=by,
        created_at=now or timezone.now(),
        restored_from=restored_from,
    )


def restore_revision(*, revision: MinutesRevision, base_revision: int, by) -> MinutesRevision:
    """Bring an earlier text back as a new revision: the history keeps every step."""
    minutes = revision.minutes
    saved = save_minutes(
        event=minutes.event,
        entry=minutes.entry,
        text=revision.text,
        base_revision=base_revision,
        by=by,
        restored_from=revision.number,
    )
    if saved is None:
        raise ValueError(
            gettext("Revision %(number)s is the text the minutes have now.")
            % {"number": revision.number}
        )
    return saved


@dataclass(frozen=True)
class DiffRow:
    """One line of a side-by-side difference: `kind` is equal, removed, added or changed."""

    kind: str
    old_number: int | None
    old_line: str
    new_number: int | None
    new_line: str


def diff_rows(old: str, new: str) -> list[DiffRow]:
    """The two texts line by line, as rows a template escapes (difflib.HtmlDiff writes HTML)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    rows = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [
                DiffRow("equal", i + 1, old_lines[i], j + 1, new_lines[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        olds, news = range(i1, i2), range(j1, j2)
        for k in range(max(len(olds), len(news))):
            i = olds[k] if k < len(olds) else None
            j = news[k] if k < len(news) else None
            kind = (
                "changed"
                if i is not None and j is not None
                else "removed"
                if j is None
                else "added"
            )
            rows.append(
                DiffRow(
                    kind,
                    None if i is None else i + 1,
                    "" if i is None else old_lines[i],
                    None if j is None else j + 1,
                    "" if j is None else new_lines[j],
                )
            )
    return rows


def history(minutes: Minutes) -> list[MinutesRevision]:
    """Every revision, newest first, with its author: 1 query."""
    return list(minutes.revisions.select_related("author").order_by("-number"))


def minutes_by_entry(event: Event) -> dict[int | None, Minutes]:
    """The event's non-empty minutes keyed by agenda item (None: the whole meeting): 1 query."""
    return {
        minutes.entry_id: minutes
        for minutes in Minutes.objects.filter(event=event).exclude(text="")
    }
