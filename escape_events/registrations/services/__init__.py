"""Writes on registrations: register, cancel, switch mode, promote, approve, reject, settings.

Every write that can take or free a seat locks the event row(s) once (events.locking: sorted,
once), then reads availability (registrations.availability) from the registration rows inside the
same transaction. There is no counter that could drift, and two people can never take the last
seat at once. Who may take a place is asked of registrations.rules, which the pages read too.

Each module imports only the ones listed before it: seats (the locked registration and derived
availability), promotion (waiting lists), then registering, attendee_actions (cancel, switch
mode), organiser_actions (approve, reject, promote by hand), registration_settings (capacities,
window, groups, retention) and privacy (retention purge, a person leaving), which cancels
through attendee_actions and stores the retention period through registration_settings;
adding (organisers add people, through registering), following (series followers) and
questions (events pick questions from their organiser's library) come last.
history (who may change a registration after the fact, and the record of each change) comes
right after seats; modifying (answers, names, note, tags, the waiting line beside a place)
after attendee_actions.
Import the names from here; the race tests switch the lock off where it is taken
(`events.locking.lock_events`).
"""

from ..rules import (
    MAX_ANSWER_LENGTH,
    RegistrationRefused,
    cancellation_deadline,
    clean_answers,
    is_organiser,
    modification_deadline,
    purge_due_at,
    refusal_reason,
    registration_closes,
    retention_months,
)
from .adding import Added, add_participant
from .attendee_actions import cancel_registration, switch_mode
from .following import follow_series, unfollow_series
from .modifying import (
    clean_tags,
    edit_registration,
    join_waiting_line,
    leave_waiting_line,
    tags_for,
)
from .organiser_actions import approve, promote_by_hand, reject
from .privacy import (
    forget_person,
    purge_due_registrations,
    purge_event_registrations,
    set_listing_consent,
    set_retention_period,
)
from .promotion import promote_waiting_list
from .questions import add_library_questions, copy_questions, library_question_for
from .registering import RegistrationRequest, register, register_together
from .registration_settings import SETTING_FIELDS, save_registration_settings, set_capacity
from .seats import Mode, Status

__all__ = [
    "MAX_ANSWER_LENGTH",
    "SETTING_FIELDS",
    "Added",
    "Mode",
    "RegistrationRefused",
    "RegistrationRequest",
    "Status",
    "add_library_questions",
    "add_participant",
    "approve",
    "cancel_registration",
    "cancellation_deadline",
    "clean_answers",
    "clean_tags",
    "copy_questions",
    "edit_registration",
    "follow_series",
    "forget_person",
    "is_organiser",
    "join_waiting_line",
    "leave_waiting_line",
    "library_question_for",
    "modification_deadline",
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
    "save_registration_settings",
    "set_capacity",
    "set_listing_consent",
    "set_retention_period",
    "switch_mode",
    "tags_for",
    "unfollow_series",
]
