"""Every write through the API: replayed on a retry with the same Idempotency-Key, and logged.

A retry after a lost answer (a timeout, a dropped connection) must not register twice or
approve twice: the first answer is stored under the caller's key for a day and given again.
"""

import functools
import hashlib
import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Status
from ninja.errors import HttpError

from escape_events.registrations.services import RegistrationRefused

from .models import IdempotentRequest
from .services import log_write

KEY_LIFETIME = timedelta(hours=24)
KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"
KEY_HEADER = "Idempotency-Key"


def note(request, *, event=None, registration=None) -> None:
    """What the write touched, for its log line."""
    if event is not None:
        request.api_event_id = event.pk
    if registration is not None:
        request.api_registration_id = registration.pk
        request.api_event_id = registration.event_id


def _fingerprint(request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _claim(request, key: str) -> IdempotentRequest | Status:
    """Our row for this key, or the stored answer to give again."""
    user = request.auth
    now = timezone.now()
    IdempotentRequest.objects.filter(user=user, created_at__lt=now - KEY_LIFETIME).delete()
    fingerprint = _fingerprint(request)
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(user=user, key=key, fingerprint=fingerprint)
    except IntegrityError:
        earlier = IdempotentRequest.objects.filter(user=user, key=key).first()
    if earlier is None:  # finished and removed in between: a refusal, safe to run again
        return _claim(request, key)
    if earlier.fingerprint != fingerprint:
        raise HttpError(
            422,
            gettext("This %(header)s was used for another request; use a new key.")
            % {"header": KEY_HEADER},
        )
    if earlier.status is None:
        raise HttpError(
            409,
            gettext("A request with this %(header)s is still being answered.")
            % {"header": KEY_HEADER},
        )
    request.api_replayed = True
    return Status(earlier.status, earlier.body)


def _status_of(error: Exception) -> tuple[int, str]:
    if isinstance(error, RegistrationRefused):
        return error.status, error.message
    if isinstance(error, HttpError):
        return error.status_code, str(error)
    if isinstance(error, Http404):
        return 404, str(error)
    return 500, type(error).__name__


def write(operation: str):
    """Wrap an operation that returns a Status: idempotent on retry, always logged."""

    def decorate(view):
        @functools.wraps(view)
        def run(request, *args, **kwargs):
            key = request.headers.get(KEY_HEADER)
            if key is not None and not re.fullmatch(KEY_PATTERN, key):
                raise HttpError(
                    400,
                    gettext("%(header)s must be 1 to 200 visible ASCII characters.")
                    % {"header": KEY_HEADER},
                )
            claimed = _claim(request, key) if key is not None else None
            if isinstance(claimed, Status):
                return claimed
            try:
                answer = view(request, *args, **kwargs)
            except Exception as error:
                if claimed is not None:
                    claimed.delete()
                status, detail = _status_of(error)
                _log(request, operation, status, detail, key or "")
                raise
            if claimed is not None:
                claimed.status, claimed.body = answer.status_code, answer.value
                claimed.save(update_fields=["status", "body"])
            _log(request, operation, answer.status_code, "", key or "")
            return answer

        return run

    return decorate


def _log(request, operation, status, detail, key) -> None:
    log_write(
        user=request.auth,
        token=getattr(request, "api_token", None),
        operation=operation,
        method=request.method,
        path=request.path,
        status=status,
        event_id=getattr(request, "api_event_id", None),
        registration_id=getattr(request, "api_registration_id", None),
        detail=detail,
        idempotency_key=key,
    )
