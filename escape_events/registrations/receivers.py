"""Reactions to signals from lower apps: events tells us an event changed, we tell registrants."""

from django.dispatch import receiver

from escape_events.events.signals import event_changed

from .mails import send_event_changed_mails


@receiver(event_changed, dispatch_uid="registrations_notify_event_changed")
def notify_registrants(sender, *, event, changed=(), cancelled=False, **kwargs):
    """The signal is sent after commit, so the task can be queued straight away."""
    send_event_changed_mails.enqueue(
        event_id=event.pk, changed=list(changed), cancelled=bool(cancelled)
    )
