"""The reads a registration makes: the event with its settings (before and under the lock) and
the person's own facts, each in the queries its docstring states."""

import pytest
from django.contrib.auth.models import Group

from escape_events.events.models import Event
from escape_events.registrations.models import Question
from escape_events.registrations.rules import PersonFacts, person_facts
from escape_events.registrations.selectors import event_to_register
from escape_events.registrations.services.seats import event_and_settings


def test_the_event_under_the_lock_comes_with_its_settings_in_one_query(
    make_registrable, django_assert_num_queries
):
    event = make_registrable(onsite=12, remote=40)
    with django_assert_num_queries(1):
        read, settings = event_and_settings(event.pk)
        assert settings.event is read  # linked both ways: no query to go back
    assert (read.slug, settings.onsite_capacity, settings.remote_capacity) == (event.slug, 12, 40)


def test_an_event_without_settings_reads_none_and_a_missing_one_raises(
    make_event, django_assert_num_queries
):
    event = make_event()
    with django_assert_num_queries(1):
        assert event_and_settings(event.pk) == (event, None)
    with pytest.raises(Event.DoesNotExist):
        event_and_settings(987654)


def test_the_event_to_register_says_whether_it_asks_questions_and_has_partners(
    make_registrable, django_assert_num_queries
):
    event = make_registrable()
    with django_assert_num_queries(1):
        read = event_to_register(event.slug)
    assert (read.has_questions, read.has_colocated_with, read.asked_questions) == (
        False,
        False,
        [],
    )
    question = Question.objects.create(event=event, label="Diet", kind=Question.Kind.TEXT)
    event.colocated_with.add(make_registrable())
    with django_assert_num_queries(2):
        read = event_to_register(event.slug)
    assert (read.has_questions, read.has_colocated_with, read.asked_questions) == (
        True,
        True,
        [question],
    )
    assert event_to_register("no-such-event") is None


def test_the_person_facts_follow_the_address_and_the_groups(
    make_registrable, make_user, django_assert_num_queries
):
    settings = make_registrable().registration_settings
    member, outsider, unverified = make_user(), make_user(), make_user(verified=False)
    with django_assert_num_queries(1):
        assert person_facts(settings=settings, user=member) == PersonFacts(
            verified=True, restricted=False, member=False
        )
    assert person_facts(settings=settings, user=unverified).verified is False
    escape = Group.objects.create(name="/escape")
    settings.restricted_to_groups.add(escape, Group.objects.create(name="/atlas"))
    member.groups.add(escape)
    outsider.groups.add(Group.objects.create(name="/cms"))
    assert person_facts(settings=settings, user=member) == PersonFacts(True, True, True)
    assert person_facts(settings=settings, user=outsider) == PersonFacts(True, True, False)
