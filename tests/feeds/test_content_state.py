"""The feeds' content state, read by one hand-written statement, means what the ORM would read."""

from datetime import datetime

from django.db.models import Max

from escape_events.events.models import Event, Series, Venue
from escape_events.feeds.models import ContentVersion
from escape_events.feeds.selectors import content_state


def test_last_modified_is_the_newest_edit_as_an_aware_datetime(make_event, wp2_series, venue):
    make_event()
    state = content_state()
    newest = max(
        model.objects.aggregate(newest=Max("updated_at"))["newest"]
        for model in (Event, Series, Venue)
    )
    assert isinstance(state.last_modified, datetime) and state.last_modified.tzinfo is not None
    assert state.last_modified == newest
    assert state.token == ContentVersion.objects.get(pk=1).token


def test_a_deletion_after_the_last_edit_is_the_last_modification(make_event):
    event = make_event()
    event.delete()
    version = ContentVersion.objects.get(pk=1)
    assert version.deleted_at is not None
    assert content_state().last_modified == version.deleted_at
