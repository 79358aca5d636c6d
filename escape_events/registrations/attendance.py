"""Who was there on which day of an event: the record certificates are made from.

On-site people are counted by their check-in (one a day, `checkin.check_in`); remote ones by an
organiser's mark or the video-conference attendance list. Days are the event's own calendar days
in its time zone.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from escape_events.events.models import Event
from escape_events.events.when import date_text, day_text

from .models import AttendanceDay, Registration

Source = AttendanceDay.Source


def _shorter_than_a_day(event: Event) -> bool:
    return not event.all_day and event.end - event.start < timedelta(days=1)


def event_days(event: Event) -> list[date]:
    """Every calendar day the event covers, in its zone; one for an event shorter than a day,
    even an evening one that runs past midnight."""
    first = event.local_start.date()
    if _shorter_than_a_day(event):
        return [first]
    return [first + timedelta(days=n) for n in range((event.last_day - first).days + 1)]


def day_of(event: Event, moment) -> date | None:
    """The event day `moment` falls on, or None outside the event's days."""
    if _shorter_than_a_day(event) and moment <= event.end:
        return event.local_start.date()
    day = timezone.localtime(moment, event.zone).date()
    return day if day in event_days(event) else None


@dataclass(frozen=True)
class Attended:
    """What a person's certificate says: the days attended of the event's days, and the minutes
    connected when a video-conference list gave them."""

    days: tuple[date, ...]
    of_days: int
    minutes: int | None

    @property
    def all_days(self) -> bool:
        return len(self.days) == self.of_days


def attended(registration: Registration, event_day_list: list[date] | None = None) -> Attended:
    """From `registration.attendance_days` (prefetch it for many)."""
    day_list = event_day_list or event_days(registration.event)
    rows = [row for row in registration.attendance_days.all() if row.day in day_list]
    minutes = [row.minutes for row in rows if row.minutes is not None]
    return Attended(
        days=tuple(sorted({row.day for row in rows})),
        of_days=len(day_list),
        minutes=sum(minutes) if minutes and len(minutes) == len(rows) else None,
    )


def record_day(*, registration: Registration, day: date, source: str, minutes=None) -> bool:
    """Count `day` for the person once; False when it was counted already (its source stays,
    the minutes add up when a list names the person twice)."""
    row, created = AttendanceDay.objects.get_or_create(
        registration=registration, day=day, defaults={"source": source, "minutes": minutes}
    )
    if not created and minutes is not None and row.source == Source.IMPORT:
        row.minutes = min((row.minutes or 0) + minutes, 24 * 60)
        row.save(update_fields=["minutes"])
    return created


def set_marked_days(*, registration: Registration, days: set[date]) -> None:
    """An organiser's marks for one person: exactly `days` (of the event's) are marked; days
    from a check-in or an attendance list stay as they were recorded."""
    allowed = set(event_days(registration.event))
    unknown = days - allowed
    if unknown:
        raise ValueError(
            gettext("%(day)s is not a day of this event.") % {"day": date_text(min(unknown))}
        )
    today = timezone.localdate(timezone=registration.event.zone)
    if days and max(days) > today:
        raise ValueError(
            gettext("%(day)s has not come yet: mark it on the day or after.")
            % {"day": day_text(max(days))}
        )
    with transaction.atomic():
        registration.attendance_days.filter(source=Source.ORGANISER).exclude(day__in=days).delete()
        for day in sorted(days):
            record_day(registration=registration, day=day, source=Source.ORGANISER)


@dataclass(frozen=True)
class ListedAttendance:
    """One person present in a video-conference attendance list, on one day."""

    email: str
    day: date
    minutes: int | None


def import_attendance(*, event: Event, rows: list[ListedAttendance]) -> tuple[int, list[str]]:
    """Record the days a list names for confirmed registrants of `event`; how many days were
    new, and the e-mail addresses the list names that have no confirmed registration here."""
    by_email = {
        registration.user.email.casefold(): registration
        for registration in Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED, user__isnull=False
        ).select_related("user")
    }
    added, unknown = 0, []
    with transaction.atomic():
        for row in rows:
            registration = by_email.get(row.email.casefold())
            if registration is None:
                if row.email not in unknown:
                    unknown.append(row.email)
                continue
            added += record_day(
                registration=registration, day=row.day, source=Source.IMPORT, minutes=row.minutes
            )
    return added, unknown
