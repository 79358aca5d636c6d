"""Checking people in at the door: by the code on their ticket (QR) or picked from a name search.

Only a confirmed registration of this very event is checked in; everything else comes back with
a warning the organiser reads on the phone and nothing is changed. Each check-in also counts the
day for certificates (`attendance`): at a multi-day event a person is checked in once a day.
"""

import io
import logging
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext

from escape_events.events.models import Event
from escape_events.events.when import clock_text, day_text

from .attendance import day_of, record_day
from .models import AttendanceDay, Registration

logger = logging.getLogger(__name__)

Status = Registration.Status
Mode = Registration.Mode

# Who was there: confirmed and checked in. A registration cancelled after its check-in was not.
PRESENT = Q(status=Status.CONFIRMED, checked_in_at__isnull=False)


@dataclass(frozen=True)
class DoorCount:
    """The check-in page's headline: on-site people present of those expected, and remote
    registrants who turned up at the door anyway."""

    onsite_present: int
    onsite_expected: int
    remote_present: int


def door_count(event: Event) -> DoorCount:
    """One query."""
    counts = Registration.objects.filter(event=event, status=Status.CONFIRMED).aggregate(
        onsite_present=Count("pk", filter=PRESENT & Q(mode=Mode.ONSITE)),
        onsite_expected=Count("pk", filter=Q(mode=Mode.ONSITE)),
        remote_present=Count("pk", filter=PRESENT & Q(mode=Mode.REMOTE)),
    )
    return DoorCount(**counts)


@dataclass(frozen=True)
class CheckInResult:
    registration: Registration | None
    checked_in: bool
    message: str


def code_from_scan(text: str) -> str:
    """The code alone, whether a scanner typed the code or the whole check-in address."""
    return text.strip().rstrip("/").rsplit("/", 1)[-1].rsplit("=", 1)[-1]


def check_in(
    *, code_or_registration, event: Event, by, accept_remote: bool = False, now=None
) -> CheckInResult:
    """Mark a confirmed registration of `event` present, once; warn on anything else.

    A ticket of someone registered to take part remotely is not checked in unless the
    organiser accepts it (`accept_remote`): they hold no seat in the room."""
    now = now or timezone.now()
    with transaction.atomic():
        # Only the registration row is locked: its person may be gone (an outer join PostgreSQL
        # cannot lock), and the event row is the seat lock, not ours to take here.
        query = Registration.objects.select_for_update(of=("self",)).select_related("user", "event")
        if isinstance(code_or_registration, Registration):
            registration = query.filter(pk=code_or_registration.pk).first()
        else:
            code = code_from_scan(str(code_or_registration))
            registration = query.filter(check_in_code=code).first() if code else None
        if registration is None:
            return CheckInResult(None, False, gettext("Unknown code: no registration has it."))
        person = registration.person
        if registration.event_id != event.pk:
            return CheckInResult(
                None,
                False,
                gettext("This code is for another event (%(event)s), not this one.")
                % {"event": registration.event.title},
            )
        if registration.status != Status.CONFIRMED:
            return CheckInResult(
                registration,
                False,
                gettext("%(person)s is not confirmed (%(status)s): not checked in.")
                % {"person": person, "status": registration.get_status_display()},
            )
        # Doors may open before the start: such a check-in counts for the first day.
        day = day_of(event, max(now, event.start))
        if registration.checked_in_at is not None:
            if day is not None and event.is_multi_day and not already_counted(registration, day):
                record_day(registration=registration, day=day, source=AttendanceDay.Source.CHECK_IN)
                return CheckInResult(
                    registration,
                    True,
                    gettext("%(person)s is checked in for %(day)s.")
                    % {"person": person, "day": day_text(day)},
                )
            at = timezone.localtime(registration.checked_in_at, event.zone)
            return CheckInResult(
                registration,
                False,
                gettext("%(person)s was already checked in at %(time)s (%(day)s).")
                % {"person": person, "time": clock_text(at), "day": day_text(at)},
            )
        if registration.mode == Mode.REMOTE and not accept_remote:
            return CheckInResult(
                registration,
                False,
                gettext(
                    "%(person)s registered to take part remotely and holds no seat here: "
                    "not checked in. Check them in anyway if there is room."
                )
                % {"person": person},
            )
        registration.checked_in_at = now
        registration.save(update_fields=["checked_in_at"])
        if day is not None:
            record_day(registration=registration, day=day, source=AttendanceDay.Source.CHECK_IN)
    logger.info(
        "check-in of registration %s at event %s by user %s", registration.pk, event.pk, by.pk
    )
    return CheckInResult(
        registration,
        True,
        gettext("%(person)s is checked in (%(mode)s).")
        % {"person": person, "mode": registration.get_mode_display()},
    )


def already_counted(registration: Registration, day) -> bool:
    return registration.attendance_days.filter(day=day).exists()


def ticket_url(registration: Registration) -> str:
    """What a ticket's QR code holds: an address any phone camera opens, leading organisers to
    the check-in page. The project names that page (`TICKET_SCAN_URL`, as `LOGIN_URL` names the
    sign-in page), so registrations never names a front room's URLs."""
    scan_page = resolve_url(settings.TICKET_SCAN_URL, code=registration.check_in_code)
    return settings.SITE_URL + scan_page


def ticket_qr_svg(registration: Registration) -> str:
    """The QR code as a standalone SVG document (with its namespace, so <img> can show it)."""
    buffer = io.BytesIO()
    segno.make(ticket_url(registration), error="m").save(
        buffer,
        kind="svg",
        scale=6,
        border=2,
        dark="#1d2433",
        title=gettext("Check-in code"),
        xmldecl=False,
    )
    return buffer.getvalue().decode()


def ticket_qr_png(registration: Registration) -> bytes:
    """The QR code as PNG, for mails (mail programs rarely show SVG)."""
    buffer = io.BytesIO()
    segno.make(ticket_url(registration), error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()
