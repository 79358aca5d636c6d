"""Reactions to signals from lower apps: events tells us an event changed, we tell registrants."""

from django.dispatch import receiver
from django.utils import timezone

from escape_events.events.models import Event
from escape_events.events.signals import event_changed, series_changed

from .mails import send_event_changed_mails
from .models import Registration
from .services import promote_waiting_list


@receiver(event_changed, dispatch_uid="registrations_notify_event_changed")
def notify_registrants(sender, *, event, changed=(), cancelled=False, **kwargs):
    """The signal is sent after commit, so the task can be queued straight away."""
    send_event_changed_mails.enqueue(
        event_id=event.pk, changed=list(changed), cancelled=bool(cancelled)
    )


@receiver(event_changed, dispatch_uid="registrations_promote_after_event_changed")
def serve_waiting_lists(sender, *, event, cancelled=False, **kwargs):
    """A restored or moved event may give places again (seats freed while it was cancelled or
    over): serve its waiting lists. A cancelled one stays inert (the service says so)."""
    if not cancelled:
        promote_waiting_list(event=event)


@receiver(series_changed, dispatch_uid="registrations_notify_series_changed")
def notify_series_registrants(sender, *, series, changed=(), **kwargs):
    """People registered for a coming meeting of the series hear that its schedule changed."""
    meetings = (
        Event.objects.filter(
            series=series,
            end__gt=timezone.now(),
            registrations__status__in=Registration.ACTIVE_STATUSES,
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    for event_id in meetings:
        send_event_changed_mails.enqueue(event_id=event_id, changed=list(changed), cancelled=False)
