"""Writes on registrations: register, cancel, switch mode, promote, approve, reject.

Every write that can take or free a seat locks the event row(s) once (`seats.lock_events`), then
derives availability from the registration rows inside the same transaction. There is no counter
that could drift, and two people can never take the last seat at once.

Each module imports only the ones listed before it:
rules (who may register, valid answers), seats (the lock and derived availability), promotion
(waiting lists), then registering, attendee_actions (cancel, switch mode) and organiser_actions
(capacities, approve, reject, promote by hand). Import the names from here.
"""

import sys
from types import ModuleType

from . import attendee_actions, organiser_actions, promotion, registering, rules, seats
from .attendee_actions import cancel_registration, switch_mode
from .organiser_actions import approve, promote_by_hand, reject, set_capacity
from .promotion import promote_waiting_list
from .registering import RegistrationRequest, register, register_together
from .rules import (
    MAX_ANSWER_LENGTH,
    RegistrationRefused,
    clean_answers,
    is_organiser,
    refusal_reason,
)
from .seats import (
    LOCKING_ENABLED,
    Mode,
    Status,
    free_seats,
    has_room,
    seats_taken,
    waiting_list,
)

__all__ = [
    "LOCKING_ENABLED",
    "MAX_ANSWER_LENGTH",
    "Mode",
    "RegistrationRefused",
    "RegistrationRequest",
    "Status",
    "approve",
    "cancel_registration",
    "clean_answers",
    "free_seats",
    "has_room",
    "is_organiser",
    "promote_by_hand",
    "promote_waiting_list",
    "refusal_reason",
    "register",
    "register_together",
    "reject",
    "seats_taken",
    "set_capacity",
    "switch_mode",
    "waiting_list",
]

_PARTS = (rules, seats, promotion, registering, attendee_actions, organiser_actions)


class _Services(ModuleType):
    """Setting a public name here sets it in every module of the package that holds it, as when
    services was one file: the race tests switch `LOCKING_ENABLED` off and slow `seats_taken`
    down with `monkeypatch.setattr(services, ...)`, and the code reading them must see it."""

    def __setattr__(self, name, value):
        if name in __all__:
            current = getattr(self, name)
            for part in _PARTS:
                if name in vars(part) and vars(part)[name] is current:
                    setattr(part, name, value)
        super().__setattr__(name, value)


# Python's documented way to customise attribute setting on a module.
sys.modules[__name__].__class__ = _Services
