"""Issuing and revoking the secret links of personal feeds."""

import secrets

from django.db import transaction

from escape_events.core.tokens import hash_token

from .models import FeedToken


@transaction.atomic
def issue_feed_token(*, user) -> str:
    """A new secret for the user's personal feed; any earlier link stops working at once.

    The token is returned once, to be shown to the user; only its hash is kept.
    """
    token = secrets.token_urlsafe(32)
    FeedToken.objects.filter(user=user).delete()
    FeedToken.objects.create(user=user, token_hash=hash_token(token))
    return token


def revoke_feed_token(*, user) -> None:
    FeedToken.objects.filter(user=user).delete()
