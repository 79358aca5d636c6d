"""Answers to accounts about one person: their feed link in the data export, and its end when
the account is deleted."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from escape_events.accounts.signals import (
    account_deleting,
    account_deletion_preview,
    personal_data_requested,
)

from .models import FeedToken
from .services import revoke_feed_token


@receiver(personal_data_requested, dispatch_uid="feeds_personal_data")
def feed_links_of_person(sender, *, user, **kwargs):
    """Only a hash of the secret is stored, so the export says when the link was made, not it."""
    return {
        "calendar_feed_links": [
            {
                "created_at": token.created_at.isoformat(),
                "note": _(
                    "A personal calendar feed link exists. Only a hash of its secret is "
                    "kept, so the link itself cannot be shown again."
                ),
            }
            for token in FeedToken.objects.filter(user=user)
        ]
    }


@receiver(account_deleting, dispatch_uid="feeds_revoke_on_deletion")
def revoke_on_deletion(sender, *, user, **kwargs):
    if FeedToken.objects.filter(user=user).exists():
        revoke_feed_token(user=user)
        return [_("Switched off your personal calendar feed link.")]
    return []


@receiver(account_deletion_preview, dispatch_uid="feeds_deletion_preview")
def feed_link_to_end(sender, *, user, **kwargs):
    if FeedToken.objects.filter(user=user).exists():
        return [_("Your personal calendar feed link stops working.")]
    return []
