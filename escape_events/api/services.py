"""Writes of the API app: issuing and revoking tokens, noting their use, logging writes."""

import logging
import secrets
from datetime import timedelta

from django.utils import timezone

from escape_events.core.tokens import hash_token

from .models import ApiToken, ApiWriteLog

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "ee_"  # noqa: S105 - a marker that secret scanners can match, not a secret
MAX_LIFETIME = timedelta(days=366)
# A token used again within this time keeps its last-used stamp: no write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def issue_api_token(
    *,
    user,
    name: str,
    registrations: bool,
    organiser: str,
    lifetime: timedelta,
    event=None,
    now=None,
) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once, to be shown once, and only its hash is kept."""
    now = now or timezone.now()
    if not registrations and not organiser:
        raise ValueError("A token needs at least one scope.")
    if not timedelta(0) < lifetime <= MAX_LIFETIME:
        raise ValueError("A token lives between one day and a year.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100] or "API token",
        token_hash=hash_token(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        registrations=registrations,
        organiser=organiser,
        event=event,
        created_at=now,
        expires_at=now + lifetime,
    )
    logger.info("API token %s issued to user %s, scopes %s", token.pk, user.pk, token.scopes)
    return token, secret


def revoke_api_token(*, token: ApiToken, now=None) -> None:
    """The token stops working at once; its row stays for the write log."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    logger.info("API token %s of user %s revoked", token.pk, token.user_id)


def note_token_use(*, token: ApiToken, now=None) -> None:
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def log_write(
    *,
    user,
    token: ApiToken | None,
    operation: str,
    method: str,
    path: str,
    status: int,
    event_id: int | None = None,
    registration_id: int | None = None,
    detail: str = "",
    idempotency_key: str = "",
) -> None:
    """Every write through the API leaves a row (and a log line), refused ones too."""
    ApiWriteLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        token=token,
        operation=operation,
        method=method,
        path=path[:500],
        status=status,
        event_id=event_id,
        registration_id=registration_id,
        detail=detail[:500],
        idempotency_key=idempotency_key[:200],
    )
    logger.info(
        "API write %s %s by user %s (token %s): %s %s",
        method,
        path,
        getattr(user, "pk", None),
        token.pk if token else None,
        status,
        detail,
    )
