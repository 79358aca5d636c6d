"""Writes on registrations: register, cancel, switch mode, promote, approve, reject.

Every write that can take or free a seat locks the event row(s) once (`seats.lock_events`), then
derives availability from the registration rows inside the same transaction. There is no counter
that could drift, and two people can never take the last seat at once.

Each module imports only the ones listed before it:
rules (who may register, valid answers), seats (the lock and derived availability), promotion
(waiting lists), then registering, attendee_actions (cancel, switch mode) and organiser_actions
(capacities, approve, reject, promote by hand); following (series followers) stands apart.
Import the names from here; the race tests switch the lock off on the module that holds it
(`services.seats.LOCKING_ENABLED`).
"""

from .adding import Added, add_participant
from .attendee_actions import cancel_registration, switch_mode
from .following import follow_series, unfollow_series
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
from .seats import Mode, Status, free_seats, has_room, waiting_list

__all__ = [
    "MAX_ANSWER_LENGTH",
    "Added",
    "Mode",
    "RegistrationRefused",
    "RegistrationRequest",
    "Status",
    "add_participant",
    "approve",
    "cancel_registration",
    "clean_answers",
    "follow_series",
    "free_seats",
    "has_room",
    "is_organiser",
    "promote_by_hand",
    "promote_waiting_list",
    "refusal_reason",
    "register",
    "register_together",
    "reject",
    "set_capacity",
    "switch_mode",
    "unfollow_series",
    "waiting_list",
]
