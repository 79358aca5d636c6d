"""Links into the organiser's side from public pages; no query at all for anonymous visitors."""

from django import template

from ..permissions import can_organise, organised_series, uses_organiser_side

register = template.Library()


@register.filter
def organises_something(user) -> bool:
    """For the "Organise" link in the main menu: organisers, and people who may create events."""
    return user.is_authenticated and uses_organiser_side(user)


@register.filter
def organises(user, event) -> bool:
    """For the "Manage this event" link on an event page."""
    return user.is_authenticated and can_organise(user, event)


@register.filter
def organises_series(user, series) -> bool:
    """For links to a series' own pages: its organisers and site staff (one query)."""
    return user.is_authenticated and organised_series(user).filter(pk=series.pk).exists()
