"""Signals through which registrations tells the apps above it what happened to its data.

registration_data_purged: sent by services.privacy.purge_event_registrations inside its
transaction, once the event's registrations lost their personal data (the retention period is
over). Arguments: sender=RegistrationPurge, event, now. Apps that keep data under the same rule
(feedback surveys) remove theirs.
"""

from django.dispatch import Signal

registration_data_purged = Signal()
