"""Mails to attendees, sent in the background so that a slow mail server never slows registering.

Services call `after_commit`; the task runs only once the registration is stored, in a worker in
production (django_tasks_db, queued in the registration's own transaction) and inline in
development and tests. In production the mail then waits in the outbox until SMTP takes it.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import resolve_url
from django.tasks import task
from django.template.loader import render_to_string

from escape_events.accounts.services import invitation_url
from escape_events.calendars.ics import Attendance, build_calendar
from escape_events.core.headers import header_text
from escape_events.core.tasks import enqueue_with_transaction
from escape_events.events.models import Event
from escape_events.outbox.messages import EventMail

from .checkin import ticket_qr_png
from .models import Registration

SUBJECTS = {
    "registered": "Your registration for {event}",
    "promoted": "A place opened up for you at {event}",
    "approved": "Your registration for {event} is confirmed",
    "rejected": "Your registration for {event} was declined",
    "cancelled": "Your registration for {event} is cancelled",
}
# Mails that carry the event as an .ics file: the person now has a place.
WITH_CALENDAR = {"registered", "promoted", "approved"}


def after_commit(registration: Registration, kind: str, *, added_by: str = "") -> None:
    """Queue the mail once the surrounding transaction commits (never for a rolled-back row).

    The mail tells the state the registration had when it happened: a worker may send it after
    later changes (a waiting person promoted, a registration cancelled at once)."""
    registration_id = registration.pk
    state = {
        "status": registration.status,
        "mode": registration.mode,
        "waiting_for_mode": registration.waiting_for_mode,
        "added_by": added_by,  # the organiser who registered the person, if one did
    }
    enqueue_with_transaction(
        send_registration_mail, registration_id=registration_id, kind=kind, state=state
    )


def _calendar_for(registration: Registration) -> bytes:
    """The event as .ics; remote participants also get the online link in it. Someone without a
    place yet (waiting list, pending) gets it as tentative, as in their personal feed."""
    event = registration.event
    if registration.status != Registration.Status.CONFIRMED:
        note = f"You are {registration.get_status_display().lower()} ({registration.mode})."
        attendance = {event.pk: Attendance(tentative=True, note=note)}
    elif registration.joins_remotely and event.online_url:
        note = "You are registered to attend remotely."
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


def _send(
    *,
    event: Event,
    to: str,
    subject: str,
    template: str,
    context: dict,
    attachments: list[tuple[str, bytes, str]] = (),
):
    context = {
        **context,
        "site_url": settings.SITE_URL,
        "my_registrations_url": my_registrations_url(),
    }
    message = EventMail(
        event_id=event.pk,
        # One line: a title stored with a line break would otherwise make the header invalid.
        subject=header_text(subject),
        body=render_to_string(f"mail/registrations/{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"mail/registrations/{template}.html", context), "text/html"
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()


@task
def send_registration_mail(*, registration_id: int, kind: str, state: dict | None = None) -> None:
    registration = (
        Registration.objects.select_related("event", "event__venue", "user")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.user is None:
        return  # the person deleted their account meanwhile: nobody to write to
    for name, value in (state or {}).items():
        setattr(registration, name, value)
    event = registration.event
    attachments = []
    if kind in WITH_CALENDAR and registration.status == Registration.Status.CONFIRMED:
        attachments = [(f"{event.slug}.ics", _calendar_for(registration), "text/calendar")]
        if registration.mode == Registration.Mode.ONSITE:  # remote people need no door ticket
            attachments.append(("check-in-qr-code.png", ticket_qr_png(registration), "image/png"))
    person = registration.user
    context = {"registration": registration, "event": event, "user": person}
    if not person.has_usable_password() and person.last_login is None:
        # Added by an organiser and never signed in: the mail lets them choose a password.
        context["invitation_url"] = invitation_url(person)
    _send(
        event=event,
        to=person.email,
        subject=SUBJECTS[kind].format(event=event.title),
        template=kind,
        context=context,
        attachments=attachments,
    )


@task
def send_event_changed_mails(*, event_id: int, changed: list[str], cancelled: bool) -> None:
    """Tell everyone still registered that the event moved, changed or was cancelled."""
    event = Event.objects.select_related("venue").filter(pk=event_id).first()
    if event is None:
        return
    registrations = Registration.objects.filter(
        event=event, status__in=Registration.ACTIVE_STATUSES, user__isnull=False
    ).select_related("user", "event__venue")
    subject = f"{'Cancelled' if cancelled else 'Changed'}: {event.display_title}"
    changed_labels = _field_labels(changed)
    for registration in registrations:
        _send(
            event=event,
            to=registration.user.email,
            subject=subject,
            template="event_changed",
            context={
                "registration": registration,
                "event": event,
                "user": registration.user,
                "changed": changed_labels,
                "cancelled": cancelled,
            },
            attachments=[(f"{event.slug}.ics", _calendar_for(registration), "text/calendar")],
        )
