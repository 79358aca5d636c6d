"""Answers to accounts about one person: their API tokens and API writes in the data export,
and the end of their tokens when the account is deleted."""

from django.dispatch import receiver
from django.utils.translation import ngettext

from escape_events.accounts.signals import (
    account_deleting,
    account_deletion_preview,
    personal_data_requested,
)

from .models import ApiToken, ApiWriteLog
from .services import revoke_api_token


def _active_tokens(user):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


@receiver(personal_data_requested, dispatch_uid="api_personal_data")
def api_use_of_person(sender, *, user, **kwargs):
    """Tokens without their secret (only a hash is kept), and what was done with them."""
    return {
        "api_tokens": [
            {
                "name": token.name,
                "starts_with": token.prefix,
                "scopes": token.scopes,
                "event": token.event.slug if token.event_id else None,
                "created_at": token.created_at.isoformat(),
                "expires_at": token.expires_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in ApiToken.objects.filter(user=user).select_related("event")
        ],
        "api_writes": [
            {
                "at": entry.created_at.isoformat(),
                "operation": entry.operation,
                "request": f"{entry.method} {entry.path}",
                "status": entry.status,
                "detail": entry.detail,
            }
            for entry in ApiWriteLog.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }


@receiver(account_deleting, dispatch_uid="api_revoke_on_deletion")
def revoke_on_deletion(sender, *, user, now, **kwargs):
    tokens = list(_active_tokens(user))
    for token in tokens:
        revoke_api_token(token=token, now=now)
    if not tokens:
        return []
    count = len(tokens)
    return [
        ngettext("Revoked your %(count)s API token.", "Revoked your %(count)s API tokens.", count)
        % {"count": count}
    ]


@receiver(account_deletion_preview, dispatch_uid="api_deletion_preview")
def tokens_to_end(sender, *, user, **kwargs):
    count = _active_tokens(user).count()
    if not count:
        return []
    return [
        ngettext(
            "Your %(count)s API token stops working.",
            "Your %(count)s API tokens stop working.",
            count,
        )
        % {"count": count}
    ]
