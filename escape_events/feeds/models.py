"""Secret links to personal calendar feeds."""

from django.conf import settings
from django.db import models


class FeedToken(models.Model):
    """The current secret of a user's personal feed; regenerating replaces it at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Personal feed of {self.user}"


class ContentVersion(models.Model):
    """One row whose token changes with every change to what public feeds show.

    Database triggers (see `triggers.py`) replace the token in the same transaction as any
    insert, update or delete in the events and timetable apps' tables (and the registration
    settings and questions, which the event page keeps in the cache under it), whoever writes
    (services, admin, `QuerySet.update`, raw SQL). A feed's ETag and cached body are keyed by
    it, so answering a conditional or cached request is one primary-key lookup whatever the
    number of events.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=64)
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text="The last time rows were deleted (for Last-Modified)."
    )

    def __str__(self):
        return f"Feed content version {self.token}"
