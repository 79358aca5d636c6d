"""The event read a registration makes, written as SQL once per process, gives the same event
and settings the ORM gives, and what its flags say about the event."""

import pytest
from django.db.models import Model

from escape_events.events.models import Event
from escape_events.registrations.event_reads import event_to_register_by_slug, event_with_settings
from escape_events.registrations.models import Question, RegistrationSettings


def _values(instance: Model) -> dict:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


@pytest.fixture
def registrable(make_registrable):
    return make_registrable(
        onsite=12,
        remote=40,
        needs_approval=True,
        event_fields={"online_url": "https://example.org/m", "remote_note": "Zoom"},
    )


def test_every_column_is_the_one_the_orm_reads(registrable, django_assert_num_queries):
    orm = Event.objects.select_related("registration_settings").get(pk=registrable.pk)
    with django_assert_num_queries(1):
        read = event_with_settings(registrable.pk)
        settings = read.registration_settings
        assert settings.event is read  # both ways linked: no query to go back
    assert _values(read) == _values(orm)
    assert _values(settings) == _values(orm.registration_settings)
    assert type(read.start) is type(orm.start) and read.start.tzinfo is not None
    assert read._state.adding is False and read._state.db == orm._state.db


def test_an_event_without_settings_says_so_without_a_query(make_event, django_assert_num_queries):
    event = make_event()
    with django_assert_num_queries(1):
        read = event_with_settings(event.pk)
        assert getattr(read, "registration_settings", None) is None
    with pytest.raises(RegistrationSettings.DoesNotExist):
        read.registration_settings  # noqa: B018 - the reverse one-to-one, as the ORM raises


def test_a_missing_event_reads_as_none(db):
    assert event_with_settings(987654) is None
    assert event_to_register_by_slug("no-such-event") is None


def test_the_flags_say_whether_it_asks_questions_and_has_partners(registrable, make_registrable):
    read = event_to_register_by_slug(registrable.slug)
    assert (read.has_questions, read.has_colocated_with) == (False, False)
    Question.objects.create(event=registrable, label="Diet", kind=Question.Kind.TEXT)
    registrable.colocated_with.add(make_registrable())
    read = event_to_register_by_slug(registrable.slug)
    assert (read.has_questions, read.has_colocated_with) == (True, True)
