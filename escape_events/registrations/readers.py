"""Who a person is to an event, as the materials' access rule (timetable.access) needs it: the
timetable sits below registrations, so the facts are gathered here and handed down."""

from escape_events.events.models import Event
from escape_events.events.permissions import organises
from escape_events.timetable.access import ANONYMOUS, Reader
from escape_events.timetable.models import Convener, Speaker

from .models import Registration


def reader_for(user, event: Event) -> Reader:
    """At most three queries: organiser?, confirmed registration modes, named on the agenda?
    A convener counts as a speaker (both present at the event)."""
    if not user.is_authenticated:
        return ANONYMOUS
    if organises(user, event):
        return Reader(signed_in=True, organiser=True)
    modes = frozenset(
        Registration.objects.filter(
            event=event, user=user, status=Registration.Status.CONFIRMED
        ).values_list("mode", flat=True)
    )
    speaker = (
        Speaker.objects.filter(entry__event=event, user=user).exists()
        or Convener.objects.filter(session__event=event, user=user).exists()
    )
    return Reader(signed_in=True, modes=modes, speaker=speaker)
