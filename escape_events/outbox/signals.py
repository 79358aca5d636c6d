"""What the outbox tells the apps above it: a mail was given up on (not delivered after its
tries, or refused for good), so the organisers of its event may hear of it."""

from django.dispatch import Signal

# Sent with `mail` (the OutgoingMail row, its status now FAILED) once the failure is recorded.
mail_undelivered = Signal()
