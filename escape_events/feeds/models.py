"""Secret links to personal calendar feeds."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext


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
        return gettext("Personal feed of %(person)s") % {"person": self.user}
