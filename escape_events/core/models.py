from django.db import models


class ContentVersion(models.Model):
    """A token that changes with every write to what public pages and feeds show, per scope.

    Scopes: "site" (any change: lists and feeds of many events), "shared" (a row many events
    show: a venue, a series, the privacy notice) and "event:<id>" (one event and what hangs on
    it). Database triggers (see `version_triggers.py`) replace the tokens whoever writes
    (services, admin, `QuerySet.update`, raw SQL), so caches keyed on them need no invalidation.
    """

    scope = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=64)
    changed_at = models.DateTimeField(help_text="When the token last changed (Last-Modified).")

    def __str__(self):
        return f"Content version of {self.scope}: {self.token}"
