"""Certificates of attendance: who gets one (after the event, for the days they were there), and
the public address that confirms one.

A certificate is issued the first time it is printed or downloaded; its address carries a token
derived from the secret key and the certificate's nonce, stored only as a digest
(`core.tokens.hash_token`), and an organiser can revoke it.
"""

import io
import secrets
from dataclasses import dataclass
from datetime import date

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.dateformat import format as format_date
from django.utils.formats import localize
from django.utils.translation import gettext, ngettext

from escape_events.core.tokens import hash_token
from escape_events.events.models import Event
from escape_events.events.when import day_text, list_text, long_day_text
from escape_events.registrations.attendance import Attended, attended, event_days
from escape_events.registrations.models import AttendanceDay, Registration

from ..models import Certificate, PrintDesign
from .fit import fit
from .pdf import data_uri

Status = Registration.Status


class NotYet(Exception):
    """Certificates are refused before the event ends; the message says when they can be had."""


def refusal(event: Event, now=None) -> str:
    """Why no certificate can be had for `event` now, or ""."""
    now = now or timezone.now()
    if event.is_cancelled:
        return gettext("The event was cancelled: there are no certificates of attendance.")
    if event.end > now:
        if event.all_day:
            # Translators: the event's last day, e.g. "after Fri 29 Jan 2027".
            ends = gettext("after %(day)s") % {"day": day_text(event.last_day)}
        else:
            ends = format_date(timezone.localtime(event.end, event.zone), "D j M Y, H:i T")
        return gettext(
            "Certificates of attendance can be had once the event has ended (%(ends)s)."
        ) % {"ends": ends}
    return ""


def attendees(event: Event, *, only: Registration | None = None) -> list[Registration]:
    """Confirmed registrants recorded present on at least one of the event's days (or just
    `only`, if they were), with their days and certificate (two queries), by family name;
    nobody whose certificate the organisers revoked."""
    days = event_days(event)
    rows = Registration.objects.filter(
        event=event, status=Status.CONFIRMED, user__isnull=False, attendance_days__day__in=days
    ).exclude(certificate__revoked_at__isnull=False)
    if only is not None:
        rows = rows.filter(pk=only.pk)
    rows = (
        rows.distinct()
        .select_related("user", "event", "certificate")
        .prefetch_related(
            Prefetch("attendance_days", queryset=AttendanceDay.objects.filter(day__in=days))
        )
    )
    return sorted(rows, key=lambda row: (row.user.last_name.casefold(), row.user.first_name))


def _token(certificate: Certificate) -> str:
    return salted_hmac(
        "escape_events.certificate",
        f"{certificate.registration_id}:{certificate.nonce}",
        algorithm="sha256",
    ).hexdigest()[:40]


def token_for(certificate: Certificate) -> str:
    return _token(certificate)


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("site:certificate", args=[_token(certificate)])


def issue(*, registration: Registration, now=None, again: bool = False) -> Certificate:
    """The person's certificate, issued now if they had none; a revoked one stays revoked
    unless an organiser issues it `again` (with a new address)."""
    existing = getattr(registration, "certificate", None)
    if existing is not None and (existing.revoked_at is None or not again):
        return existing
    now = now or timezone.now()
    with transaction.atomic():
        certificate = existing or Certificate(registration=registration)
        certificate.nonce = secrets.token_hex(16)
        certificate.token_hash = hash_token(_token(certificate))
        certificate.issued_at = now
        certificate.revoked_at = None
        certificate.revoked_by = None
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:  # issued at the same moment by another request
            return Certificate.objects.get(registration=registration)
    registration.certificate = certificate
    return certificate


def issue_all(people: list[Registration]) -> None:
    """Issue the certificates a PDF of `people` will carry, before its data are fingerprinted
    (so the PDF made matches the data it was requested for)."""
    for registration in people:
        issue(registration=registration)


def revoke(*, certificate: Certificate, by) -> None:
    """The certificate's address says no valid certificate has it, and the person can no longer
    download it, until an organiser issues it again."""
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.save(update_fields=["revoked_at", "revoked_by"])


def verified(token: str) -> Certificate | None:
    """The valid certificate with this token, or None (never issued, forged or revoked)."""
    if not token or len(token) > 100:
        return None
    certificate = (
        Certificate.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("registration__user", "registration__event")
        .prefetch_related("registration__attendance_days")
        .first()
    )
    return certificate


def days_text(event: Event, presence: Attended) -> str:
    """What the certificate says of attendance, in the holder's language: "on Mon 25 Jan 2027
    (3.5 hours)", or "on 2 of the 3 days: Mon 25 and Tue 26 Jan 2027"."""
    if presence.of_days == 1:
        day, hours = long_day_text(presence.days[0]), _hours(event, presence)
        if hours:
            return gettext("on %(day)s (%(hours)s)") % {"day": day, "hours": hours}
        return gettext("on %(day)s") % {"day": day}
    listed = _day_list(presence.days)
    if presence.all_days:
        return ngettext(
            "on all %(count)s days, %(days)s", "on all %(count)s days, %(days)s", presence.of_days
        ) % {"count": presence.of_days, "days": listed}
    attended = len(presence.days)
    return ngettext(
        "on %(attended)s of the %(count)s days: %(days)s",
        "on %(attended)s of the %(count)s days: %(days)s",
        attended,
    ) % {"attended": attended, "count": presence.of_days, "days": listed}


def _day_list(days: tuple[date, ...]) -> str:
    return list_text([day_text(day) for day in days])


def _hours(event: Event, presence: Attended) -> str:
    if presence.minutes is not None:
        hours, minutes = divmod(presence.minutes, 60)
        if hours:
            return gettext("%(hours)s h %(minutes)s min connected") % {
                "hours": hours,
                "minutes": f"{minutes:02d}",
            }
        return gettext("%(minutes)s min connected") % {"minutes": minutes}
    length = (event.end - event.start).total_seconds() / 3600
    if event.all_day or length >= 24:
        return ""
    shown = localize(int(length) if length.is_integer() else length)
    return ngettext("%(hours)s hour", "%(hours)s hours", 1 if length == 1 else 2) % {"hours": shown}


def _qr(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return data_uri(buffer.getvalue())


@dataclass
class Page:
    registration: Registration
    name: object
    title: object
    attendance: str
    url: str
    qr: str
    issued_at: object


def certificate_html(
    event: Event, design: PrintDesign, people: list[Registration], logo_uri: str, now=None
) -> list[tuple[int, str]]:
    """The certificates of `people` (issuing any not issued yet), one A4 landscape page each,
    each in its holder's language: HTML chunks of people in a row who share a language, with
    how many certificates each chunk holds."""
    days = event_days(event)
    organisers = [person.display_name for person in event.organisers.all()]
    runs: list[tuple[str, list[Page]]] = []
    for registration in people:
        certificate = issue(registration=registration, now=now)
        url = verification_url(certificate)
        language = registration.user.preferred_language
        with translation.override(language):
            attendance = days_text(event, attended(registration, days))
        page = Page(
            registration=registration,
            name=fit(
                registration.user.display_name,
                width_mm=230, height_mm=22, sizes=(24, 21, 18, 15, 13), bold=True,
            ),
            title=fit(
                event.title, width_mm=230, height_mm=21, sizes=(17, 15, 13, 11, 10), bold=True
            ),
            attendance=attendance,
            url=url,
            qr=_qr(url),
            issued_at=timezone.localtime(certificate.issued_at, event.zone),
        )  # fmt: skip
        if runs and runs[-1][0] == language:
            runs[-1][1].append(page)
        else:
            runs.append((language, [page]))
    chunks = []
    for language, pages in runs or [(translation.get_language(), [])]:
        with translation.override(language):
            html = render_to_string(
                "organisers/printouts/certificates.html",
                {
                    "event": event,
                    "design": design,
                    "pages": pages,
                    "logo": logo_uri,
                    "organisers": organisers,
                },
            )
        chunks.append((len(pages), html))
    return chunks
