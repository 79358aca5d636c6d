"""Who runs an event: its organisers, the organisers of its series, and site staff.

The one place that answers it: the organiser pages, the registration rules and the co-location
rule all ask here.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from .models import Event, Series


def organised_events(user) -> QuerySet[Event]:
    """Every event the user may manage (staff: all), without duplicate rows from the joins."""
    if not user.is_authenticated:
        return Event.objects.none()
    if user.is_staff:
        return Event.objects.all()
    own = Event.organisers.through.objects.filter(user=user).values("event_id")
    series = Series.organisers.through.objects.filter(user=user).values("series_id")
    return Event.objects.filter(Q(pk__in=own) | Q(series__in=series))


def organisers_of(event: Event) -> QuerySet:
    """The people who run this event: its own organisers and those of its series (staff
    aside: they may manage every event but organise none of them)."""
    rows = Q(organised_events=event)
    if event.series_id is not None:
        rows |= Q(organised_series=event.series_id)
    return get_user_model().objects.filter(rows).distinct()


def organised_series(user) -> QuerySet[Series]:
    if not user.is_authenticated:
        return Series.objects.none()
    if user.is_staff:
        return Series.objects.all()
    return Series.objects.filter(organisers=user)


def organises(user, event: Event) -> bool:
    """Whether the user runs this event (one query, none for staff and visitors)."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return organised_events(user).filter(pk=event.pk).exists()
