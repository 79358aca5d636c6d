"""Links into the organiser's side from public pages; no query at all for anonymous visitors."""

from django import template

from ..permissions import can_organise, organises_anything

register = template.Library()


@register.filter
def organises_something(user) -> bool:
    """For the "Organise" link in the main menu."""
    return user.is_authenticated and (user.is_staff or organises_anything(user))


@register.filter
def organises(user, event) -> bool:
    """For the "Manage this event" link on an event page."""
    return user.is_authenticated and can_organise(user, event)
