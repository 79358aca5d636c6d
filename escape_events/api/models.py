"""API tokens, the log of every write made through the API, and stored answers to retries."""

from datetime import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from escape_events.events.models import Event


class ApiToken(models.Model):
    """A personal secret for scripts: what it may do (scopes), until when, last used when."""

    class OrganiserAccess(models.TextChoices):
        NONE = "", _("None")
        READ = "read", _("Read participants and exports")
        WRITE = "write", _("Read, and approve, reject, cancel, promote, check in")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text=_("What the token is for, e.g. 'list sync'."))
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(
        max_length=12, help_text=_("The token's first characters, to recognise it in the list.")
    )
    registrations = models.BooleanField(
        _("my registrations"),
        default=False,
        help_text=_("Read your registrations, register, cancel and switch mode."),
    )
    organiser = models.CharField(
        _("events I organise"), max_length=5, blank=True, choices=OrganiserAccess.choices
    )
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only this event of those you organise (empty: every event you organise)."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registrations=True) | ~Q(organiser=""),
                name="api_token_has_a_scope",
            ),
            models.CheckConstraint(
                condition=Q(organiser__in=["", "read", "write"]),
                name="api_token_organiser_access_known",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @property
    def scopes(self) -> list[str]:
        """The token's rights in the words the API documentation uses."""
        found = ["registrations"] if self.registrations else []
        if self.organiser:
            found.append("organiser:read")
        if self.organiser == self.OrganiserAccess.WRITE:
            found.append("organiser:write")
        return found


class ApiWriteLog(models.Model):
    """One write made through the API: who (and with which token), what, on which event, result."""

    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.ForeignKey(ApiToken, null=True, on_delete=models.SET_NULL, related_name="+")
    operation = models.CharField(max_length=60)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    event = models.ForeignKey(Event, null=True, on_delete=models.SET_NULL, related_name="+")
    registration_id = models.BigIntegerField(null=True)
    status = models.PositiveSmallIntegerField()
    detail = models.CharField(max_length=500, blank=True)
    idempotency_key = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self):
        return f"{self.method} {self.path} by {self.user_id}: {self.status}"


class ExactJSONEncoder(DjangoJSONEncoder):
    """Times kept to the microsecond, so a replayed answer is the answer first given."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class IdempotentRequest(models.Model):
    """The answer given to a write sent with an Idempotency-Key, replayed on a retry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(
        max_length=64, help_text="Hash of method, path and body: a key reused for another request"
    )
    status = models.PositiveSmallIntegerField(null=True, help_text="Empty while in progress.")
    body = models.JSONField(null=True, encoder=ExactJSONEncoder)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_unique_key")
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.key} of {self.user_id}"
