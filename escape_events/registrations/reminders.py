"""Reminders before events and meetings: who gets which, and sending each exactly once.

`send_due_reminders` is run every few minutes by `manage.py send_reminders` (cron or a systemd
timer, see the README). Each run picks, per event or meeting, the latest reminder whose time has
come (one day, one hour before...) and mails it to the people it is for:
- confirmed registrants of an event (or of an opened meeting): remote ones get the join link,
  on-site ones their ticket;
- followers of a series, before each of its meetings, with the join link.
Someone who registered or followed after a reminder's time gets the next one, not a late one.
Every mail is claimed first by inserting a `SentReminder` row; the database lets one of several
senders running at once have it, so nobody is reminded twice.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.lists import format_list
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from escape_events.calendars.ics import build_calendar
from escape_events.core.text import render_plain_text
from escape_events.events.models import Event, Series
from escape_events.events.selectors import Occurrence, occurrences_between
from escape_events.events.when import describe_span, describe_start
from escape_events.outbox.messages import EventMail
from escape_events.timetable.agenda import agenda_text
from escape_events.timetable.selectors import agenda_for

from .checkin import ticket_qr_png
from .mails import calendar_for, my_registrations_url
from .models import (
    DEFAULT_REMINDERS,
    REMINDER_CHOICES,
    REMINDER_NOTE_MAX,
    Registration,
    ReminderPlan,
    SentReminder,
    SeriesFollower,
)
from .rules import sees_remote_link

logger = logging.getLogger(__name__)

# Reminders reach this far ahead at most (the longest offset an organiser can pick).
HORIZON = timedelta(minutes=max(minutes for minutes, _label in REMINDER_CHOICES))
LABELS = dict(REMINDER_CHOICES)
Status = Registration.Status
Mode = Registration.Mode


@dataclass(frozen=True)
class Reminder:
    """One mail to one person: what it is about, which reminder, and what the person holds."""

    user: object
    item: Event | Occurrence  # what happens: an event, or a meeting of a series
    minutes_before: int
    registration: Registration | None = None  # None for followers of a series

    @property
    def series(self) -> Series | None:
        return self.item.series

    @property
    def recurrence_id(self) -> datetime | None:
        return self.item.recurrence_id

    @property
    def join_url(self) -> str:
        """The video link for people attending remotely: remote registrants and followers."""
        if not sees_remote_link(
            user=self.user,
            registration=self.registration,
            registration_required=self.registration is not None,
        ):
            return ""
        if isinstance(self.item, Occurrence):
            override = self.item.override
            return (override.online_url if override else "") or self.item.series.online_url
        return self.item.online_url

    @property
    def has_ticket(self) -> bool:
        return self.registration is not None and self.registration.mode == Mode.ONSITE

    @property
    def when_label(self) -> str:
        return _label(self.minutes_before)


def _label(minutes: int) -> str:
    """A reminder's offset in words, in the active language ("1 day before")."""
    if minutes in LABELS:
        return str(LABELS[minutes])
    return ngettext("%(count)d minute before", "%(count)d minutes before", minutes) % {
        "count": minutes
    }


def plan_minutes(*plans: ReminderPlan | None) -> list[int]:
    """The first plan given wins (an opened meeting's own, then its series'); else the default."""
    for plan in plans:
        if plan is not None:
            return sorted({int(m) for m in plan.minutes_before if int(m) > 0}, reverse=True)
    return list(DEFAULT_REMINDERS)


def due_offset(start: datetime, minutes: list[int], now: datetime) -> int | None:
    """The reminder whose time has come most recently (the smallest offset already due)."""
    due = [m for m in minutes if start - timedelta(minutes=m) <= now < start]
    return min(due) if due else None


def _plan(obj) -> ReminderPlan | None:
    try:
        return obj.reminder_plan
    except ReminderPlan.DoesNotExist:
        return None


def applying_plan(item: Event | Occurrence) -> ReminderPlan | None:
    """The plan whose reminders go out before this event or meeting: its own (an opened
    meeting's), else its series'; None: the default reminders, with nothing of the organisers."""
    own = item.override if isinstance(item, Occurrence) else item
    plans = (own and _plan(own), item.series and _plan(item.series))
    return next((plan for plan in plans if plan is not None), None)


def due_reminders(now: datetime) -> list[Reminder]:
    """Every reminder due at `now` (sent or not; the claim decides), registrants first."""
    reminders: list[Reminder] = []
    events = list(
        Event.objects.filter(
            start__gt=now, start__lte=now + HORIZON, status=Event.Status.SCHEDULED
        ).select_related("venue", "series", "reminder_plan", "series__reminder_plan")
    )
    for event in events:
        minutes = due_offset(
            event.start, plan_minutes(_plan(event), event.series and _plan(event.series)), now
        )
        if minutes is None:
            continue
        due_at = event.start - timedelta(minutes=minutes)
        registrations = Registration.objects.filter(
            event=event,
            status=Status.CONFIRMED,
            status_changed_at__lte=due_at,
            user__isnull=False,  # a person who deleted their account is gone
        ).select_related("user")
        item = _as_meeting(event) if event.series_id else event
        reminders.extend(
            Reminder(registration.user, item, minutes, registration)
            for registration in registrations
        )
    followed = list(
        Series.objects.filter(followers__isnull=False)
        .distinct()
        .select_related("venue", "reminder_plan")
    )
    followers = _followers_by_series(followed)
    for meeting in occurrences_between(now, now + HORIZON, followed):
        if meeting.is_cancelled or meeting.start <= now:
            continue
        override_plan = _plan(meeting.override) if meeting.override else None
        minutes = due_offset(meeting.start, plan_minutes(override_plan, _plan(meeting.series)), now)
        if minutes is None:
            continue
        due_at = meeting.start - timedelta(minutes=minutes)
        reminders.extend(
            Reminder(follower.user, meeting, minutes)
            for follower in followers[meeting.series.pk]
            if follower.created_at <= due_at
        )
    return reminders


def _followers_by_series(series: list[Series]) -> dict[int, list[SeriesFollower]]:
    found: dict[int, list[SeriesFollower]] = {item.pk: [] for item in series}
    for follower in SeriesFollower.objects.filter(series__in=series).select_related("user"):
        found[follower.series_id].append(follower)
    return found


def _as_meeting(event: Event) -> Occurrence:
    """An opened meeting as a meeting of its series, so registrants and followers share a key."""
    return Occurrence(event.series, event.recurrence_id, event.start, event.end, event)


def reminder_message(reminder: Reminder, *, now: datetime | None = None) -> EventMail:
    """The mail of one reminder; `now` is when it goes out (it says "tomorrow" from then), with
    what the organisers' plan adds: their paragraph, the agenda, the event as an .ics file. It is
    written in the person's language (the organisers' paragraph stays as they wrote it)."""
    with translation.override(reminder.user.preferred_language):
        return _reminder_message(reminder, now=now)


def _reminder_message(reminder: Reminder, *, now: datetime | None) -> EventMail:
    item = reminder.item
    event = item.override if isinstance(item, Occurrence) and item.override else item
    plan = applying_plan(item)
    context = {
        "reminder": reminder,
        "user": reminder.user,
        "item": item,
        "title": item.title,
        "when": describe_span(item),
        "begins": describe_start(item, now or timezone.now()),
        "time_zone": item.time_zone,
        "venue": item.venue,
        "registration": reminder.registration,
        "join_url": reminder.join_url,
        "page_url": settings.SITE_URL + item.get_absolute_url(),
        "site_url": settings.SITE_URL,
        "my_registrations_url": my_registrations_url(),
        "series": reminder.series,
        "remote_note": event.remote_note if isinstance(event, Event) else item.series.remote_note,
        "note": plan.note.strip() if plan else "",
        "agenda": agenda_text(agenda_for(event))
        if plan and plan.include_agenda and isinstance(event, Event)
        else "",
    }
    subject = gettext("Reminder: %(title)s, %(when)s") % {
        "title": item.title,
        "when": describe_span(item),
    }
    message = EventMail(  # undelivered, it shows to the event's organisers
        event_id=event.pk if isinstance(event, Event) else None,
        subject=" ".join(subject.split()),
        body=render_plain_text("mail/registrations/reminder.txt", context),
        to=[reminder.user.email],
    )
    message.attach_alternative(
        render_to_string("mail/registrations/reminder.html", context), "text/html"
    )
    if reminder.has_ticket and reminder.registration.status == Status.CONFIRMED:
        message.attach("check-in-qr-code.png", ticket_qr_png(reminder.registration), "image/png")
    if plan and plan.include_calendar and isinstance(event, Event):
        message.attach(f"{event.slug}.ics", _calendar(event, reminder), "text/calendar")
    return message


def _calendar(event: Event, reminder: Reminder) -> bytes:
    """The event as .ics: as the confirmation attached it for registrants (the join link for
    remote ones), plainly for followers of a series."""
    if reminder.registration is not None:
        return calendar_for(reminder.registration)
    return build_calendar([event], name=event.title)


def _claim(reminder: Reminder, now: datetime) -> SentReminder | None:
    """Insert the row that says "this one is mine"; None when another sender has it."""
    series = reminder.series
    item = reminder.item
    event = item.override if isinstance(item, Occurrence) else item
    try:
        with transaction.atomic():
            return SentReminder.objects.create(
                user=reminder.user,
                event=event,
                series=series,
                recurrence_id=reminder.recurrence_id if series else None,
                starts_at=item.start,
                minutes_before=reminder.minutes_before,
                claimed_at=now,
            )
    except IntegrityError:
        return None


@dataclass
class SendOutcome:
    sent: int = 0
    already: int = 0
    failed: int = 0


def send_due_reminders(*, now: datetime | None = None) -> SendOutcome:
    """Send every due reminder not yet claimed; safe to run twice at once or on two machines.

    The claim and the mail commit together: with the outbox (production) the mail is stored in
    the same transaction as its claim, so a reminder is either claimed and on its way or
    neither. A mail that fails rolls its claim back, so the next run tries again."""
    now = now or timezone.now()
    outcome = SendOutcome()
    for reminder in due_reminders(now):
        try:
            with transaction.atomic():
                claim = _claim(reminder, now)
                if claim is None:
                    outcome.already += 1
                    continue
                reminder_message(reminder, now=now).send()
                SentReminder.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
        except Exception:
            logger.exception("a reminder to user %s failed; retried next run", reminder.user.pk)
            outcome.failed += 1
            continue
        outcome.sent += 1
    return outcome


def set_reminder_plan(
    *,
    minutes_before: list[int],
    event: Event | None = None,
    series=None,
    note: str = "",
    include_agenda: bool = False,
    include_calendar: bool = False,
):
    """Choose the reminders of an event or a series (an empty list: none at all) and what they
    carry besides the essentials: a paragraph of the organisers', the agenda, an .ics file."""
    allowed = set(LABELS)
    if any(minutes not in allowed for minutes in minutes_before):
        raise ValueError(
            gettext("Reminders can be sent %(choices)s.")
            % {"choices": ", ".join(str(label) for label in LABELS.values())}
        )
    if len(note) > REMINDER_NOTE_MAX:
        raise ValueError(
            gettext("The paragraph is at most %(max)s characters.")
            % {"max": number_format(REMINDER_NOTE_MAX, force_grouping=True)}
        )
    wanted = sorted(set(minutes_before), reverse=True)
    plan, _ = ReminderPlan.objects.update_or_create(
        event=event,
        series=series,
        defaults={
            "minutes_before": wanted,
            "note": note.strip(),
            "include_agenda": include_agenda,
            "include_calendar": include_calendar,
        },
    )
    return plan


def reminder_minutes_for(item: Event | Series) -> list[int]:
    """The reminders that apply to an event (its own plan, then its series') or a series."""
    if isinstance(item, Series):
        return plan_minutes(_plan(item))
    return plan_minutes(_plan(item), item.series and _plan(item.series))


def describe_minutes(minutes: list[int]) -> str:
    """E.g. "1 day before and 1 hour before"; "no reminders" for an empty plan (in the active
    language, the list joined as CLDR says)."""
    labels = [_label(m) for m in sorted(minutes, reverse=True)]
    if not labels:
        return gettext("no reminders")
    return format_list(labels, locale=translation.to_locale(translation.get_language() or "en"))


@dataclass(frozen=True)
class ScheduledReminder:
    """One reminder of a plan as the organiser's page lists it."""

    minutes_before: int
    label: str
    due_at: datetime  # in the event's zone
    sent: int


def reminder_schedule(item: Event | Occurrence, minutes: list[int]) -> list[ScheduledReminder]:
    """When each reminder of the plan goes out for this start, and how many have gone (1 query)."""
    key = {"starts_at": item.start}
    if isinstance(item, Occurrence):
        key.update(series=item.series, recurrence_id=item.recurrence_id)
    else:
        key.update(event=item, series__isnull=True)
    sent: dict[int, int] = {}
    rows = SentReminder.objects.filter(sent_at__isnull=False, **key).values_list(
        "minutes_before", flat=True
    )
    for value in rows:
        sent[value] = sent.get(value, 0) + 1
    zone = item.local_start.tzinfo
    return [
        ScheduledReminder(
            minutes_before=m,
            label=_label(m),
            due_at=(item.start - timedelta(minutes=m)).astimezone(zone),
            sent=sent.get(m, 0),
        )
        for m in sorted(minutes, reverse=True)
    ]
