"""Following a meeting series: reminders before each meeting and its join link on the pages."""

from django.db import IntegrityError, transaction

from escape_events.events.models import Series

from ..models import SeriesFollower


def follow_series(*, series: Series, user) -> bool:
    """Start following; False if the person already did (a double click makes one row)."""
    try:
        with transaction.atomic():
            SeriesFollower.objects.create(series=series, user=user)
    except IntegrityError:
        return False
    return True


def unfollow_series(*, series: Series, user) -> bool:
    """Stop following (no more reminders); False if the person did not follow it."""
    deleted, _ = SeriesFollower.objects.filter(series=series, user=user).delete()
    return bool(deleted)
