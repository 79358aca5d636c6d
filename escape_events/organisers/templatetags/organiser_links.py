"""Links into the organiser's side from public pages; no query at all for anonymous visitors."""

from django import template

from ..permissions import can_organise, organised_series, uses_organiser_side

register = template.Library()


@register.filter
def organises_something(user) -> bool:
    """For the "Organise" link in the main menu: organisers, and people who may create events.

    Asked once per request: the answer stays on the request's user object, so the event
    page's "Manage this event" check can reuse it."""
    if not user.is_authenticated:
        return False
    answer = getattr(user, "_organises_something", None)
    if answer is None:
        answer = user._organises_something = uses_organiser_side(user)
    return answer


@register.filter
def organises(user, event) -> bool:
    """For the "Manage this event" link on an event page. Whoever organises this event uses
    the organiser's side, so people who do not (most visitors) need no second query."""
    return organises_something(user) and can_organise(user, event)


@register.filter
def organises_series(user, series) -> bool:
    """For links to a series' own pages: its organisers and site staff (one query)."""
    return user.is_authenticated and organised_series(user).filter(pk=series.pk).exists()
