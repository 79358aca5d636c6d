"""Mails to attendees, built in the transaction of the change they report.

In production the default mailer is the outbox: the mail is stored in that same transaction, so
it exists if and only if the change committed, and `manage.py deliver_mail` hands it to SMTP (a
slow mail server never slows registering). In development and tests the mailer sends at once.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.template.loader import render_to_string

from escape_events.accounts.services import invitation_url
from escape_events.calendars.ics import Attendance, build_calendar
from escape_events.core.headers import header_text
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


def _calendar_for(registration: Registration) -> bytes:
    """The event as .ics; remote participants also get the online link in it. Someone without a
    place yet (waiting list, pending) gets it as tentative, as in their personal feed."""
    event = registration.event
    if registration.status != Registration.Status.CONFIRMED:
        note = f"You are {registration.get_status_display().lower()} ({registration.mode})."
        attendance = {event.pk: Attendance(tentative=True, note=note)}
    elif registration.mode == Registration.Mode.REMOTE and event.online_url:
        note = "You are registered to attend remotely."
        attendance = {event.pk: Attendance(tentative=False, note=note, remote_url=event.online_url)}
    else:
        attendance = None
    return build_calendar([event], name=event.title, attendance=attendance)


def _field_labels(names: list[str]) -> list[str]:
    """What changed, in words people read ("online participation link", not "online_url")."""
    labels = []
    for name in names:
        try:
            labels.append(str(Event._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            labels.append(name.replace("_", " "))
    return labels


def _hand_over(
    *,
    event: Event,
    to: str,
    subject: str,
    template: str,
    context: dict,
    attachments: list[tuple[str, bytes, str]] = (),
):
    """Render one mail and give it to the default mailer: the outbox, in production."""
    context = {**context, "site_url": settings.SITE_URL}
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


def send(registration: Registration, kind: str, *, added_by: str = "") -> None:
    """Build the mail and hand it to the mailer inside the caller's transaction (the outbox
    stores it there). It tells the state the caller gave the registration: the row is read again
    for what the mail shows (event, venue, person), then given that state."""
    state = {
        "status": registration.status,
        "mode": registration.mode,
        "waiting_for_mode": registration.waiting_for_mode,
    }
    registration = Registration.objects.select_related("event", "event__venue", "user").get(
        pk=registration.pk
    )
    if registration.user is None:
        return  # a person who deleted their account: nobody to write to
    for name, value in state.items():
        setattr(registration, name, value)
    registration.added_by = added_by  # the organiser who registered the person, if one did
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
    _hand_over(
        event=event,
        to=person.email,
        subject=SUBJECTS[kind].format(event=event.title),
        template=kind,
        context=context,
        attachments=attachments,
    )


def send_event_changed_mails(*, event_id: int, changed: list[str], cancelled: bool) -> None:
    """Tell everyone still registered that the event moved, changed or was cancelled; called in
    the change's transaction, so the mails are stored with the change and tell it as it is."""
    event = Event.objects.select_related("venue").get(pk=event_id)
    registrations = Registration.objects.filter(
        event=event, status__in=Registration.ACTIVE_STATUSES, user__isnull=False
    ).select_related("user", "event__venue")
    subject = f"{'Cancelled' if cancelled else 'Changed'}: {event.display_title}"
    changed_labels = _field_labels(changed)
    for registration in registrations:
        _hand_over(
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
