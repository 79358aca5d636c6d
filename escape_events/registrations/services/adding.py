"""Organisers add people by hand or from a list (Indico export, spreadsheet).

The person's account is found by address or made, with an invitation to choose a password;
the registration goes through `register_together` like any other: the lock, the seats, the
waiting list. Only the personal rules an organiser decides over are waived (the window, the
unconfirmed address, group restrictions: `registering.ORGANISER_WAIVES`)."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from escape_events.accounts.services import find_or_invite_person
from escape_events.events.models import Event

from ..models import Registration
from ..rules import RegistrationRefused, is_organiser
from .registering import RegistrationRequest, register_together


@dataclass(frozen=True)
class Added:
    registration: Registration
    registered: bool  # False: the person was already registered (nothing changed)
    invited: bool  # a new account was made; the confirmation mail carries the invitation


def add_participant(
    *,
    event: Event,
    by,
    email: str,
    first_name: str,
    last_name: str,
    affiliation: str = "",
    mode: str,
    answers: Mapping[int, str] | None = None,
    now=None,
) -> Added:
    """Register someone on their behalf, with the `answers` a list gave (checked, none required);
    raises RegistrationRefused (nothing stored) when the event takes no registrations, is over
    or cancelled, does not offer `mode`, or an answer is not one its question takes."""
    if not is_organiser(event=event, user=by):
        raise RegistrationRefused(
            gettext("Only the organisers can do this."), code="forbidden", status=403
        )
    with transaction.atomic():
        person, invited = find_or_invite_person(
            email=email, first_name=first_name, last_name=last_name, affiliation=affiliation
        )
        ((registration, registered),) = register_together(
            user=person,
            requests=[RegistrationRequest(event=event, mode=mode, answers=answers or {})],
            now=now,
            added_by=by,
        )
    return Added(registration=registration, registered=registered, invited=invited)
