"""Writes on registrations: register, cancel, switch mode, promote, approve, reject.

Every write that can take or free a seat locks the event row(s) once (`seats.lock_events`), then
derives availability from the registration rows inside the same transaction. There is no counter
that could drift, and two people can never take the last seat at once.

Each module imports only the ones listed before it:
rules (who may register, valid answers), seats (the lock and derived availability), promotion
(waiting lists), then registering, attendee_actions (cancel, switch mode) and organiser_actions
(capacities, approve, reject, promote by hand), and privacy (retention purge, a person leaving),
which cancels through attendee_actions; following (series followers) stands apart. Import the
names from here; the race tests switch the lock off on the module that holds it
(`services.seats.LOCKING_ENABLED`).
"""

from .adding import Added, add_participant
from .attendee_actions import cancel_registration, switch_mode
from .following import follow_series, unfollow_series
from .organiser_actions import approve, promote_by_hand, reject, set_capacity
from .privacy import (
    forget_person,
    purge_due_at,
    purge_due_registrations,
    purge_event_registrations,
    retention_months,
    set_listing_consent,
    set_retention_period,
)
from .promotion import promote_waiting_list
from .registering import RegistrationRequest, register, register_together
from .rules import (
    MAX_ANSWER_LENGTH,
    RegistrationRefused,
    cancellation_deadline,
    clean_answers,
    is_organiser,
    refusal_reason,
    registration_closes,
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
    "cancellation_deadline",
    "clean_answers",
    "follow_series",
    "forget_person",
    "free_seats",
    "has_room",
    "is_organiser",
    "promote_by_hand",
    "promote_waiting_list",
    "purge_due_at",
    "purge_due_registrations",
    "purge_event_registrations",
    "refusal_reason",
    "register",
    "register_together",
    "registration_closes",
    "reject",
    "retention_months",
    "set_capacity",
    "set_listing_consent",
    "set_retention_period",
    "switch_mode",
    "unfollow_series",
    "waiting_list",
]
