"""Organisers hear what happens at their events (registrations and the outbox tell, through
signals; organisers.notifications decides who and how often).

Whoever becomes, or stops being, an organiser (of an event or series, or through a group or
permission that may create events) sees the menu's "Organise" link change on their next page:
the cached answer of `uses_organiser_side` is forgotten for them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from escape_events.events.models import Event, Series
from escape_events.outbox.signals import mail_undelivered
from escape_events.registrations.signals import registration_happened

from .notifications import notify_registration, notify_undelivered
from .permissions import forget_organiser_side

User = get_user_model()
CHANGES = ("post_add", "post_remove", "pre_clear")


def _people_linked(through, instance) -> list[int]:
    """The people a relation links to `instance` (what a clear is about to unlink)."""
    fields = through._meta.fields
    side = next(field.name for field in fields if field.related_model is type(instance))
    return list(through.objects.filter(**{side: instance}).values_list("user_id", flat=True))


@receiver(m2m_changed, sender=Event.organisers.through, dispatch_uid="organisers_event_team")
@receiver(m2m_changed, sender=Series.organisers.through, dispatch_uid="organisers_series_team")
@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="organisers_user_groups")
@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="organisers_user_perms")
def people_linked_changed(sender, *, instance, action, pk_set, **kwargs):
    """A relation between people and events, series, groups or permissions changed."""
    if action not in CHANGES:
        return
    if isinstance(instance, User):
        forget_organiser_side([instance.pk])
    elif action == "pre_clear":
        forget_organiser_side(_people_linked(sender, instance))
    else:
        forget_organiser_side(pk_set)


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="organisers_group_perms")
def group_permissions_changed(sender, *, instance, action, reverse, pk_set, **kwargs):
    """A group's permissions changed: everyone in it may have gained or lost the right to create
    events."""
    if action not in CHANGES:
        return
    if not reverse:
        groups = [instance.pk]
    elif action == "pre_clear":
        groups = sender.objects.filter(permission=instance).values_list("group_id", flat=True)
    else:
        groups = pk_set
    members = User.groups.through.objects.filter(group_id__in=list(groups))
    forget_organiser_side(members.values_list("user_id", flat=True))


@receiver(registration_happened, dispatch_uid="organisers_notify_registration")
def tell_organisers(sender, *, registration, happening, **kwargs):
    notify_registration(registration=registration, happening=happening)


@receiver(mail_undelivered, dispatch_uid="organisers_notify_undelivered")
def tell_organisers_mail_failed(sender, *, mail, **kwargs):
    notify_undelivered(mail=mail)
