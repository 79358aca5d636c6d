"""Who may run an event: its organisers, the organisers of its series, and site staff."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, Q, QuerySet
from django.http import Http404

from escape_events.events.models import Event, Series


def organised_events(user) -> QuerySet[Event]:
    """Every event the user may manage (staff: all), without duplicate rows from the joins."""
    if not user.is_authenticated:
        return Event.objects.none()
    if user.is_staff:
        return Event.objects.all()
    own = Event.organisers.through.objects.filter(user=user).values("event_id")
    series = Series.organisers.through.objects.filter(user=user).values("series_id")
    return Event.objects.filter(Q(pk__in=own) | Q(series__in=series))


def organised_series(user) -> QuerySet[Series]:
    if not user.is_authenticated:
        return Series.objects.none()
    if user.is_staff:
        return Series.objects.all()
    return Series.objects.filter(organisers=user)


def can_create_events(user) -> bool:
    """Creating events is for site staff and for people given the right to: the
    `events.add_event` permission, e.g. through a group that the identity provider's claims
    map people into. Everyone else organises only what they were made organiser of."""
    return user.is_authenticated and (user.is_staff or user.has_perm("events.add_event"))


def uses_organiser_side(user) -> bool:
    """One query, for the menu: organises an event or series, or may create events."""
    if user.is_staff or user.is_superuser:
        return True
    own = Event.organisers.through.objects.filter(user=user).values("pk")
    series = Series.organisers.through.objects.filter(user=user).values("pk")
    may_create = Permission.objects.filter(
        content_type__app_label="events", codename="add_event"
    ).filter(Q(user=user) | Q(group__user=user))
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Exists(own) | Exists(series) | Exists(may_create))
        .exists()
    )


def can_organise(user, event: Event) -> bool:
    return organised_events(user).filter(pk=event.pk).exists()


def organised_event_or_404(user, slug: str) -> Event:
    """The event if the user organises it; otherwise 404, so others learn nothing about it."""
    event = organised_events(user).select_related("venue", "series").filter(slug=slug).first()
    if event is None:
        raise Http404("No event you organise has this address.")
    return event


def organised_series_or_404(user, slug: str) -> Series:
    """The series if the user organises it (or is staff); otherwise 404, revealing nothing."""
    series = organised_series(user).select_related("venue").filter(slug=slug).first()
    if series is None:
        raise Http404("No series you organise has this address.")
    return series
