"""What the organisers and admins need to see: the mails of an event that did not arrive yet."""

from django.db.models import Q

from .models import OutgoingMail

# Given up on, or waiting for another try after a failed one.
UNDELIVERED = Q(status=OutgoingMail.Status.FAILED) | Q(
    status__in=[OutgoingMail.Status.QUEUED, OutgoingMail.Status.SENDING], attempts__gt=0
)


def undelivered_mails(event):
    return (
        OutgoingMail.objects.filter(UNDELIVERED, event=event)
        .defer("message")
        .order_by("-created_at", "-pk")
    )
