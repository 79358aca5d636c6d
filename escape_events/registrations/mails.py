"""Mails to attendees, stored in the transaction of the change they report.

In production the outbox stores what each mail must say in that same transaction, so the mail
exists if and only if the change committed; `manage.py deliver_mail` writes it and hands it to
SMTP (neither templates nor a slow mail server slow registering). In development and tests the
mail is written and sent at once.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from escape_events.accounts.services import invitation_url
from escape_events.calendars.ics import Attendance, build_calendar
from escape_events.core.headers import header_text
from escape_events.core.text import render_plain_text
from escape_events.events.models import Event
from escape_events.outbox.messages import EventMail
from escape_events.outbox.services import send_written_later

from .changes import change_in_words
from .checkin import ticket_qr_png
from .models import Registration, RegistrationChange
from .selectors import waiting_position
from .signals import announce

SUBJECTS = {
    "registered": _("Your registration for %(event)s"),
    "promoted": _("A place opened up for you at %(event)s"),
    "approved": _("Your registration for %(event)s is confirmed"),
    "rejected": _("Your registration for %(event)s was declined"),
    "cancelled": _("Your registration for %(event)s is cancelled"),
    "changed": _("Your registration for %(event)s was changed"),
}
# Mails that carry the event as an .ics file: the person now has a place.
WITH_CALENDAR = {"registered", "promoted", "approved"}


def calendar_for(registration: Registration) -> bytes:
    """The event as .ics; remote participants also get the online link in it. Someone without a
    place yet (waiting list, pending) gets it as tentative, as in their personal feed."""
    event = registration.event
    if registration.status != Registration.Status.CONFIRMED:
        # Translators: the note of a calendar entry, e.g. "Waiting list (On-site)".
        note = pgettext("calendar note", "%(status)s (%(mode)s)") % {
            "status": registration.get_status_display(),
            "mode": registration.get_mode_display(),
        }
        attendance = {event.pk: Attendance(tentative=True, note=note)}
    elif registration.joins_remotely and event.online_url:
        note = gettext("You are registered to attend remotely.")
        attendance = {event.pk: Attendance(tentative=False, note=note, remote_url=event.online_url)}
    else:
        attendance = None
    return build_calendar([event], name=event.title, attendance=attendance)


def my_registrations_url() -> str:
    """The person's "My registrations" page, where mails send them to cancel or switch: a page
    of the public site, named by the project (settings.MY_REGISTRATIONS_URL)."""
    return settings.SITE_URL + resolve_url(settings.MY_REGISTRATIONS_URL)


def _field_labels(names: list[str]) -> list[str]:
    """What changed, in words people read ("online participation link", not "online_url")."""
    labels = []
    for name in names:
        try:
            labels.append(str(Event._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            labels.append(name.replace("_", " "))
    return labels


def _mail(
    *,
    event: Event,
    to: str,
    subject: str,
    template: str,
    context: dict,
    attachments: list[tuple[str, bytes, str]] = (),
) -> EventMail:
    context = {
        **context,
        "site_url": settings.SITE_URL,
        "my_registrations_url": my_registrations_url(),
    }
    message = EventMail(
        event_id=event.pk,
        subject=subject,
        body=render_plain_text(f"mail/registrations/{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"mail/registrations/{template}.html", context), "text/html"
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def _subject(kind: str, event: Event) -> str:
    # One line: a title stored with a line break would otherwise make the header invalid.
    return header_text(SUBJECTS[kind] % {"event": event.localized_title})


def _event_changed_subject(event: Event, *, cancelled: bool) -> str:
    if cancelled:
        return header_text(
            gettext("Cancelled: %(event)s") % {"event": event.localized_display_title}
        )
    return header_text(gettext("Changed: %(event)s") % {"event": event.localized_display_title})


def in_language_of(person):
    """Everything written for a person (subject, body, calendar file) is in their language,
    whoever's action or request queued it."""
    return translation.override(person.preferred_language)


def send(registration: Registration, kind: str, *, added_by: str = "") -> None:
    """Send the mail of this change, stored in the caller's transaction (see
    `send_written_later`: the registration's event stays locked no longer for it). The mail
    tells the state the registration has now, even if it is written after later changes.
    What the mail reports is also announced to the organisers who asked to hear of it, but
    for people an organiser added (an import is reported once, as a whole)."""
    if kind in ("registered", "promoted", "cancelled") and not added_by:
        waits = kind == "registered" and registration.status == Registration.Status.WAITING
        announce(registration, "waiting" if waits else kind)
    if registration.user_id is None:
        return  # a row kept for the counts after its person left: nobody to write to
    state = {
        "status": registration.status,
        "mode": registration.mode,
        "waiting_for_mode": registration.waiting_for_mode,
        "added_by": added_by,  # the organiser who registered the person, if one did
    }
    send_written_later(
        composer=registration_mail,
        facts={"registration_id": registration.pk, "kind": kind, "state": state},
        to=registration.user.email,
        subject=_subject_for(registration.user, kind, registration.event),
        event_id=registration.event_id,
    )


def _subject_for(person, kind: str, event: Event) -> str:
    with in_language_of(person):
        return _subject(kind, event)


def registration_mail(*, registration_id: int, kind: str, state: dict) -> EventMail | None:
    """The mail about one registration, as it was when `send` was called (`state`)."""
    registration = (
        Registration.objects.select_related("event", "event__venue", "user")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.user is None:
        return None  # the person deleted their account (or the event went): nobody to write to
    with in_language_of(registration.user):
        return _registration_mail(registration, kind=kind, state=state)


def _registration_mail(registration: Registration, *, kind: str, state: dict) -> EventMail:
    for name, value in state.items():
        setattr(registration, name, value)
    if registration.status == Registration.Status.WAITING or registration.waiting_for_mode:
        # The place in line when the mail is written (by the worker, outside the registering
        # transaction and its lock); None if the person left the line meanwhile.
        registration.waiting_position = waiting_position(registration)
    event = registration.event
    attachments = []
    if kind in WITH_CALENDAR and registration.status == Registration.Status.CONFIRMED:
        attachments = [(f"{event.slug}.ics", calendar_for(registration), "text/calendar")]
        if registration.mode == Registration.Mode.ONSITE:  # remote people need no door ticket
            attachments.append(("check-in-qr-code.png", ticket_qr_png(registration), "image/png"))
    person = registration.user
    context = {"registration": registration, "event": event, "user": person}
    if not person.has_usable_password() and person.last_login is None:
        # Added by an organiser and never signed in: the mail lets them choose a password.
        context["invitation_url"] = invitation_url(person)
    return _mail(
        event=event,
        to=person.email,
        subject=_subject(kind, event),
        template=kind,
        context=context,
        attachments=attachments,
    )


def send_changed(change: RegistrationChange) -> None:
    """Tell the person what was changed in their registration, and by whom (stored in the
    change's transaction; the change row is the snapshot the mail is written from)."""
    registration = change.registration
    if registration.user_id is None or not change.public_changes:
        return
    send_written_later(
        composer=change_mail,
        facts={"change_id": change.pk},
        to=registration.user.email,
        subject=_subject_for(registration.user, "changed", registration.event),
        event_id=registration.event_id,
    )


def change_mail(*, change_id: int) -> EventMail | None:
    change = (
        RegistrationChange.objects.select_related(
            "registration__event__venue", "registration__user"
        )
        .filter(pk=change_id)
        .first()
    )
    if change is None or change.registration.user is None:
        return None  # the person deleted their account (or the event went): nobody to write to
    registration = change.registration
    event = registration.event
    with in_language_of(registration.user):
        return _mail(
            event=event,
            to=registration.user.email,
            subject=_subject("changed", event),
            template="changed",
            context={
                "registration": registration,
                "event": event,
                "user": registration.user,
                "change": change,
                "changes": [change_in_words(item) for item in change.public_changes],
            },
        )


def send_event_changed_mails(*, event: Event, changed: list[str], cancelled: bool) -> None:
    """Tell everyone still registered that the event moved, changed or was cancelled; called in
    the change's transaction, so the mails are stored with the change (written by the worker)."""
    registrations = Registration.objects.filter(
        event=event, status__in=Registration.ACTIVE_STATUSES, user__isnull=False
    ).select_related("user")
    for registration in registrations:
        with in_language_of(registration.user):
            subject = _event_changed_subject(event, cancelled=cancelled)
        send_written_later(
            composer=event_changed_mail,
            facts={"registration_id": registration.pk, "changed": changed, "cancelled": cancelled},
            to=registration.user.email,
            subject=subject,
            event_id=event.pk,
        )


def event_changed_mail(
    *, registration_id: int, changed: list[str], cancelled: bool
) -> EventMail | None:
    registration = (
        Registration.objects.select_related("user", "event__venue")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.user is None:
        return None  # the person deleted their account (or the event went): nobody to write to
    with in_language_of(registration.user):
        return _event_changed_mail(registration, changed=changed, cancelled=cancelled)


def _event_changed_mail(
    registration: Registration, *, changed: list[str], cancelled: bool
) -> EventMail:
    event = registration.event
    return _mail(
        event=event,
        to=registration.user.email,
        subject=_event_changed_subject(event, cancelled=cancelled),
        template="event_changed",
        context={
            "registration": registration,
            "event": event,
            "user": registration.user,
            "changed": _field_labels(changed),
            "cancelled": cancelled,
        },
        attachments=[(f"{event.slug}.ics", calendar_for(registration), "text/calendar")],
    )
