"""Signals through which registrations tells the apps above it what happened to its data.

registration_happened: sent inside the change's transaction with `registration` and
`happening`: "registered", "cancelled", "promoted" or "waiting" (someone joined a waiting list);
the organisers may want to hear of it (organisers.notifications listens). Send it with
`announce`.

registration_data_purged: sent by services.privacy.purge_event_registrations inside its
transaction, once the event's registrations lost their personal data (the retention period is
over). Arguments: sender=RegistrationPurge, event, now. Apps that keep data under the same rule
(feedback surveys) remove theirs.
"""

from django.dispatch import Signal

registration_happened = Signal()
registration_data_purged = Signal()


def announce(registration, happening: str) -> None:
    registration_happened.send(
        sender=type(registration), registration=registration, happening=happening
    )
