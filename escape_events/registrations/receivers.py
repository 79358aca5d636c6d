"""Reactions to signals: events tells us an event changed (we tell registrants, and a restored
event serves its waiting lists), accounts asks for a person's data or is deleting them
(we answer for registrations), and every saved change of a registration's state goes into its
history."""

from django.conf import settings as site_settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from escape_events.accounts.signals import (
    account_deleting,
    account_deletion_preview,
    personal_data_requested,
)
from escape_events.events.signals import event_changed

from .mails import send_event_changed_mails
from .models import Registration, StatusChange
from .selectors import deletion_preview, followed_series, personal_registrations
from .services import promote_waiting_list
from .services.privacy import forget_person


@receiver(event_changed, dispatch_uid="registrations_notify_event_changed")
def notify_registrants(sender, *, event, changed=(), cancelled=False, **kwargs):
    """The signal comes inside the change's transaction: the mails are stored with it."""
    send_event_changed_mails(event=event, changed=list(changed), cancelled=bool(cancelled))


@receiver(event_changed, dispatch_uid="registrations_promote_after_event_changed")
def serve_waiting_lists(sender, *, event, cancelled=False, **kwargs):
    """A restored or moved event may give places again (seats freed while it was cancelled or
    over): serve its waiting lists. A cancelled one stays inert (the service says so)."""
    if not cancelled:
        promote_waiting_list(event=event)


@receiver(post_save, sender=Registration, dispatch_uid="registrations_status_history")
def record_status_change(sender, *, instance, created, raw=False, update_fields=None, **kwargs):
    """Whichever service saved it, a state other than the last step recorded becomes a new step
    (compared with the stored history, so a stale copy of the row cannot fool it)."""
    if raw or (update_fields and not set(update_fields) & set(Registration.HISTORY_FIELDS)):
        return
    if not created:
        last = (
            StatusChange.objects.filter(registration=instance)
            .order_by("-at", "-pk")
            .values_list(*Registration.HISTORY_FIELDS)
            .first()
        )
        if last == instance.history_state():
            return
    StatusChange.objects.create(
        registration=instance,
        at=instance.status_changed_at,
        status=instance.status,
        mode=instance.mode,
        waiting_for_mode=instance.waiting_for_mode,
    )


@receiver(personal_data_requested, dispatch_uid="registrations_personal_data")
def registrations_of_person(sender, *, user, **kwargs):
    return {
        "registrations": personal_registrations(user),
        "followed_series": [
            {"series": series.title, "address": site_settings.SITE_URL + series.get_absolute_url()}
            for series in followed_series(user)
        ],
    }


@receiver(account_deleting, dispatch_uid="registrations_forget_person")
def release_places(sender, *, user, by, now, **kwargs):
    """Cancel what is still to come (the next in line moves up), keep the rows for the counts."""
    return forget_person(user=user, by=by, now=now)


@receiver(account_deletion_preview, dispatch_uid="registrations_deletion_preview")
def places_to_release(sender, *, user, now, **kwargs):
    return deletion_preview(user, now)
