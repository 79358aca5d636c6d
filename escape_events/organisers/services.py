"""Writes of the organiser's side: venues, co-organisers, repeating events, logs, messages."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from escape_events.core.headers import header_text, single_line
from escape_events.events import locking
from escape_events.events.models import Attachment, Event, MeetingAttendance, Series, Venue
from escape_events.events.services import clone_event
from escape_events.outbox.messages import EventMail
from escape_events.registrations.checkin import PRESENT, check_in
from escape_events.registrations.models import Question, Registration, RegistrationSettings
from escape_events.registrations.services import (
    SETTING_FIELDS,
    RegistrationRefused,
    add_library_questions,
    approve,
    cancel_registration,
    copy_questions,
    edit_registration,
    promote_by_hand,
    reject,
    save_registration_settings,
)

from . import placeholders, selectors
from .models import (
    MESSAGE_ATTACHMENTS_MAX_BYTES,
    MESSAGE_ATTACHMENTS_VOLUME_MAX,
    MESSAGE_RECIPIENTS_MAX,
    ExportLog,
    ParticipantMessage,
)

logger = logging.getLogger(__name__)
INACTIVE_STATUSES = {Registration.Status.CANCELLED, Registration.Status.REJECTED}


def venue_for(*, venue: Venue | None, name: str = "", room: str = "", address: str = ""):
    """The chosen venue, or a new one named by the organiser (reused if it already exists)."""
    if venue is not None or not name:
        return venue
    found, _created = Venue.objects.get_or_create(
        name=name.strip(), room=room.strip(), defaults={"address": address.strip()}
    )
    return found


def add_co_organiser(*, of: Event | Series, user) -> bool:
    """Make `user` an organiser of an event or a series; False if they already were."""
    if of.organisers.filter(pk=user.pk).exists():
        return False
    of.organisers.add(user)
    return True


@transaction.atomic
def remove_co_organiser(*, of: Event | Series, user) -> None:
    """Remove an organiser, but never the last one: an event or series keeps someone to run it."""
    is_series = isinstance(of, Series)
    if is_series:
        locking.lock_series(of.pk)
    else:
        locking.lock_events([of.pk])
    organisers = list(of.organisers.values_list("pk", flat=True))
    if user.pk not in organisers:
        raise ValidationError(
            _("This person is not an organiser of this series.")
            if is_series
            else _("This person is not an organiser of this event.")
        )
    if len(organisers) == 1:
        raise ValidationError(
            _("The series keeps at least one organiser; add another one first.")
            if is_series
            else _("The event keeps at least one organiser; add another one first.")
        )
    of.organisers.remove(user)


@transaction.atomic
def repeat_event(*, event: Event, start, by) -> Event:
    """Repeat an event at a new date with its registration settings and questions copied."""
    copy = clone_event(event=event, start=start, organisers=[by])
    old = RegistrationSettings.objects.filter(event=event).first()
    if old is not None:
        shift = copy.start - event.start
        values = {name: getattr(old, name) for name in SETTING_FIELDS}
        values.update(
            opens_at=min(old.opens_at + shift, copy.start - timedelta(minutes=1)),
            closes_at=old.closes_at + shift if old.closes_at else None,
            cancellation_deadline=(
                old.cancellation_deadline + shift if old.cancellation_deadline else None
            ),
            modification_deadline=(
                old.modification_deadline + shift if old.modification_deadline else None
            ),
        )
        save_registration_settings(
            event=copy, values=values, groups=list(old.restricted_to_groups.all())
        )
    copy_questions(source=event, target=copy)
    return copy


@transaction.atomic
def save_registration_form(
    *,
    event: Event,
    values: dict | None,
    groups=(),
    questions_formset=None,
    library_questions=(),
    by=None,
) -> list:
    """The organiser's registration settings (through the registrations service, which promotes
    people when a capacity grew), the questions asked, in the order given (numbered 1, 2, … so
    that a question added later goes last), and those picked from `by`'s library; returns the
    people promoted."""
    _stored, promoted = save_registration_settings(event=event, values=values, groups=groups)
    if questions_formset is not None:
        for question in questions_formset.save(commit=False):
            question.event = event
            question.save()
        for question in questions_formset.deleted_objects:
            question.delete()
        renumber_questions(event)
    if library_questions:
        add_library_questions(event=event, library_questions=library_questions, by=by)
    return promoted


def renumber_questions(event: Event) -> None:
    questions = list(event.questions.order_by("position", "pk"))
    for position, question in enumerate(questions, start=1):
        question.position = position
    Question.objects.bulk_update(questions, ["position"])


@transaction.atomic
def save_question_library(*, owner, formset) -> None:
    """The organiser's library as edited; events that picked a question keep their copy."""
    for item in formset.save(commit=False):
        item.owner = owner
        item.save()
    for item in formset.deleted_objects:
        item.delete()


def start_export(*, event: Event, user, format: str, columns, filters) -> ExportLog:
    """Log a download as it starts: who takes which columns of which list."""
    return ExportLog.objects.create(
        event=event,
        user=user,
        format=format,
        rows=0,
        columns=[str(name) for name in columns],
        filters=filters,
    )


def end_export(*, log: ExportLog, rows: int, completed: bool) -> None:
    """Log how a download ended: the rows that went out, and whether it was cut off."""
    ExportLog.objects.filter(pk=log.pk).update(
        rows=rows, completed_at=timezone.now() if completed else None
    )


def check_in_by_hand(*, registration: Registration, by) -> None:
    """Check a confirmed person in from the list (a badge desk without a scanner); whoever
    cannot be is refused with the reason, in words shared by everyone refused alike."""
    result = check_in(code_or_registration=registration, event=registration.event, by=by)
    if result.checked_in:
        return
    if result.registration is None or result.registration.status != Registration.Status.CONFIRMED:
        # Translators: the three refusals follow a person's name in a list of who was left out.
        raise RegistrationRefused(_("not confirmed, so not checked in."))
    if result.registration.checked_in_at is not None:
        raise RegistrationRefused(_("already checked in."))
    raise RegistrationRefused(
        _(
            "registered to take part remotely (no seat here): check them in at the door if "
            "there is room."
        )
    )


def add_tag(*, registration: Registration, by, tag: str) -> None:
    """Put one more tag on a registration (kept in its history, like every organiser edit)."""
    current = [existing.name for existing in registration.tags.all()]
    edit_registration(registration=registration, by=by, tags=[*current, tag])


BULK_ACTIONS = {
    "approve": approve,
    "reject": reject,
    "promote": promote_by_hand,
    "cancel": lambda *, registration, by: cancel_registration(registration=registration, by=by),
    "check_in": check_in_by_hand,
    "tag": add_tag,
}


@dataclass
class BulkOutcome:
    done: int = 0
    refused: dict[str, int] = field(default_factory=dict)


def apply_bulk_action(*, action: str, registrations, by, tag: str = "") -> BulkOutcome:
    """Run one registrations service per person; a refusal for one never stops the others.
    `tag`: the tag the "tag" action puts on each."""
    service = BULK_ACTIONS[action]
    extra = {"tag": tag} if action == "tag" else {}
    outcome = BulkOutcome()
    for registration in registrations:
        try:
            service(registration=registration, by=by, **extra)
        except RegistrationRefused as refusal:
            outcome.refused[refusal.message] = outcome.refused.get(refusal.message, 0) + 1
        else:
            outcome.done += 1
    return outcome


def message_text(*, event: Event, body: str) -> str:
    """The body as each participant receives it: the organisers' text as they wrote it, and why
    they get it in the active language (the recipient's)."""
    address = f"{settings.SITE_URL}{event.get_absolute_url()}"
    why = _("You receive this because you registered for %(event)s (%(address)s).") % {
        "event": event.title,
        "address": address,
    }
    # Translators: the signature under a message the organisers send to participants.
    signed = _("The organisers of %(event)s") % {"event": event.title}
    return f"{body.strip()}\n\n-- \n{why}\n{signed}\n"


SCHEDULE_AHEAD_MAX = timedelta(days=366)


def check_attachments(attachments, *, event: Event, recipient_count: int) -> None:
    """Files of this event only, small enough for every mail and for the outbox that keeps a
    copy in each mail until it is sent."""
    if any(attachment.event_id != event.pk for attachment in attachments):
        raise ValidationError(_("An attachment does not belong to this event."))
    size = sum(attachment.size for attachment in attachments)
    if size > MESSAGE_ATTACHMENTS_MAX_BYTES:
        raise ValidationError(
            _(
                "The attachments come to %(size)s; a message carries at most %(most)s. "
                "Link to large files instead."
            )
            % {"size": filesizeformat(size), "most": filesizeformat(MESSAGE_ATTACHMENTS_MAX_BYTES)}
        )
    if size * recipient_count > MESSAGE_ATTACHMENTS_VOLUME_MAX:
        raise ValidationError(
            ngettext(
                "%(size)s to each of %(count)d person is more than the mail queue takes at "
                "once; link to the files (their Files page) instead.",
                "%(size)s to each of %(count)d people is more than the mail queue takes at "
                "once; link to the files (their Files page) instead.",
                recipient_count,
            )
            % {"size": filesizeformat(size), "count": recipient_count}
        )


def _file_of(attachment: Attachment) -> tuple[str, bytes, str]:
    """The stored file as a mail attachment: its name, bytes and validated content type."""
    with attachment.file.open("rb") as handle:
        return attachment.filename, handle.read(), attachment.content_type.split(";")[0]


def check_send_at(send_at) -> None:
    """A scheduled message waits in the outbox, so it needs the outbox mailer (production's
    MAILERS); its time lies ahead, within a year."""
    if not getattr(mailers.default, "stores_in_outbox", False):
        raise ValidationError(
            _(
                "Scheduled sending needs the mail outbox (MAILERS as in production); "
                "this server sends mails at once."
            )
        )
    now = timezone.now()
    if send_at <= now:
        raise ValidationError(_("The time to send is in the past; choose a later one or send now."))
    if send_at > now + SCHEDULE_AHEAD_MAX:
        raise ValidationError(_("A message can be scheduled at most a year ahead."))


@dataclass(frozen=True)
class MessagePreview:
    audience: str  # "Confirmed, remote"
    subject: str
    body: str


def message_previews(
    *, event: Event, subject: str, body: str, recipients: list[placeholders.Recipient]
) -> list[MessagePreview]:
    """The message as the first person of each audience reads it, placeholders filled."""
    firsts: dict[str, placeholders.Recipient] = {}
    for person in recipients:
        firsts.setdefault(person.label, person)
    return [
        MessagePreview(
            audience=label,
            subject=placeholders.fill(subject, event=event, person=person),
            body=message_text(
                event=event, body=placeholders.fill(body, event=event, person=person)
            ),
        )
        for label, person in firsts.items()
    ]


@transaction.atomic
def queue_participant_message(
    *,
    event: Event,
    sender,
    subject: str,
    body: str,
    registrations,
    filters: dict,
    include_inactive: bool = False,
    send_at=None,
    attachments=(),
) -> ParticipantMessage:
    """Store the message, its recipients and one mail per person (in the outbox), together.

    It goes to people, not registrations: one mail per person, and nobody who cancelled or was
    declined unless `include_inactive` (or the filter asked for them).
    """
    single_line(subject)  # a mail header cannot hold a line break: the send would fail later
    if send_at is not None:
        check_send_at(send_at)
    recipient_ids = selectors.message_recipients(
        registrations.filter(event=event),
        include_inactive=include_inactive or filters.get("status") in INACTIVE_STATUSES,
        limit=MESSAGE_RECIPIENTS_MAX + 1,
    )
    if not recipient_ids:
        raise ValidationError(_("No participant matches this filter."))
    if len(recipient_ids) > MESSAGE_RECIPIENTS_MAX:
        raise ValidationError(
            _(
                "This would reach more than %(most)d people; one message goes to at most "
                "%(most)d. Narrow the filter."
            )
            % {"most": MESSAGE_RECIPIENTS_MAX}
        )
    placeholders.check(
        [subject, body], event=event, recipients=selectors.placeholder_recipients(recipient_ids)
    )
    attachments = list(attachments)
    check_attachments(attachments, event=event, recipient_count=len(recipient_ids))
    message = ParticipantMessage(
        event=event,
        sender=sender,
        subject=subject,
        body=body,
        filters={**filters, **({"include_inactive": "yes"} if include_inactive else {})},
        recipient_count=len(recipient_ids),
        send_at=send_at,
    )
    message.full_clean(exclude=["recipients", "attachments"])
    message.save()
    message.recipients.set(recipient_ids)
    message.attachments.set(attachments)
    _send_participant_message(message)
    return message


def _send_participant_message(message: ParticipantMessage) -> None:
    """One mail per person (nobody sees the others' addresses), reply-to the sender, handed to
    the mailer in the message's transaction (the outbox stores them with it). What could not be
    handed over is recorded on the message, so the log shows it instead of "queued" for ever.
    The organisers' subject and body go as written; the lines around them (why the person gets
    it, placeholders' fallbacks) are in the person's language."""
    event = message.event
    reply_to = [message.sender.email] if message.sender else []
    files = [_file_of(attachment) for attachment in message.attachments.all()]
    addresses = {
        email: placeholders.Recipient(
            first_name, mode, status, code, language or settings.LANGUAGE_CODE
        )
        for email, first_name, mode, status, code, language in message.recipients.filter(
            user__isnull=False
        )
        .values_list(
            "user__email", "user__first_name", "mode", "status", "check_in_code", "user__language"
        )
        .iterator()
    }  # one mail per address, in order; nobody whose account is gone
    sent, failures = 0, []
    connection = mailers.default
    try:
        connection.open()
    except Exception as error:  # the mail server is unreachable: nothing goes out
        failures = [f"mail server: {error}"] * len(addresses)
        addresses = {}
    try:
        for email, person in addresses.items():
            with translation.override(person.language):
                body = placeholders.fill(message.body, event=event, person=person)
                subject = placeholders.fill(message.subject, event=event, person=person)
                mail = EventMail(
                    subject=header_text(subject),
                    body=message_text(event=event, body=body),
                    to=[email],
                    reply_to=reply_to,
                    event_id=message.event_id,
                    send_at=message.send_at,
                )
            for name, content, content_type in files:
                mail.attach(name, content, content_type)
            try:
                sent += connection.send_messages([mail]) or 0
            except Exception as error:  # recorded; the others still go out
                logger.warning("message %s to %s not sent: %s", message.pk, email, error)
                failures.append(f"{email}: {error}")
    finally:
        connection.close()
    ParticipantMessage.objects.filter(pk=message.pk).update(
        status=ParticipantMessage.Status.FAILED if failures else ParticipantMessage.Status.SENT,
        sent_count=sent,
        sent_at=timezone.now(),
        failure=_failure_summary(failures, sent + len(failures)),
    )


def _failure_summary(failures: list[str], total: int) -> str:
    if not failures:
        return ""
    return (
        _("%(failed)d of %(total)d not sent. First: %(first)s")
        % {"failed": len(failures), "total": total, "first": failures[0]}
    )[:500]


def record_attendance(*, event: Event, name: str, user=None) -> MeetingAttendance:
    """Note someone present at a meeting; naming them twice keeps one row."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Give the person's name."))
    entry, _created = MeetingAttendance.objects.get_or_create(
        event=event, name=name, defaults={"user": user}
    )
    return entry


def attendance_from_check_ins(*, event: Event) -> int:
    """Add everyone checked in to the attendance list; returns how many were new. The list is
    public on the meeting page, so people without a name are left out (never their e-mail)."""
    existing = set(event.attendance.values_list("name", flat=True))
    new = []
    checked_in = event.registrations.filter(PRESENT, user__isnull=False)
    for registration in checked_in.select_related("user"):
        name = registration.user.display_name
        if registration.user.has_name and name not in existing:
            existing.add(name)
            new.append(MeetingAttendance(event=event, name=name, user=registration.user))
    MeetingAttendance.objects.bulk_create(new)
    return len(new)


def remove_attendance(*, entry: MeetingAttendance) -> None:
    entry.delete()
