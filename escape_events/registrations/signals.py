"""What registrations tell the apps above them: something happened to a registration that the
organisers may want to hear of (organisers.notifications listens)."""

from django.dispatch import Signal

# Sent inside the change's transaction with `registration` and `happening`: "registered",
# "cancelled", "promoted" or "waiting" (someone joined a waiting list).
registration_happened = Signal()


def announce(registration, happening: str) -> None:
    registration_happened.send(
        sender=type(registration), registration=registration, happening=happening
    )
