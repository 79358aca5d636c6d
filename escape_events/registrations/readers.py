"""Who a person is to an event, as the materials' access rule (timetable.access) needs it: the
timetable sits below registrations, so the facts are gathered here and handed down."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from escape_events.events.models import Event
from escape_events.events.permissions import organised_events
from escape_events.timetable.access import ANONYMOUS, Reader
from escape_events.timetable.models import Convener, Speaker

from .models import Registration


def reader_for(user, event: Event) -> Reader:
    """One query (none for a visitor): organiser?, confirmed on-site or remote?, named on the
    agenda? A convener counts as a speaker (both present at the event)."""
    if not user.is_authenticated:
        return ANONYMOUS
    confirmed = Registration.objects.filter(
        event=event, user=OuterRef("pk"), status=Registration.Status.CONFIRMED
    )
    facts = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            organiser=Exists(organised_events(user).filter(pk=event.pk)),
            onsite=Exists(confirmed.filter(mode=Registration.Mode.ONSITE)),
            remote=Exists(confirmed.filter(mode=Registration.Mode.REMOTE)),
            speaker=Exists(Speaker.objects.filter(entry__event=event, user=OuterRef("pk"))),
            convener=Exists(Convener.objects.filter(session__event=event, user=OuterRef("pk"))),
        )
        .first()
    )
    if facts is None:
        return ANONYMOUS
    if facts["organiser"]:
        return Reader(signed_in=True, organiser=True)
    modes = frozenset(mode for mode in ("onsite", "remote") if facts[mode])
    return Reader(signed_in=True, modes=modes, speaker=facts["speaker"] or facts["convener"])
