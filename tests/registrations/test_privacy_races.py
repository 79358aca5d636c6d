"""Two purge jobs at the same moment (two machines, or cron overlapping a slow run), on
PostgreSQL with real connections: each event is purged once, and neither job fails."""

import time
from datetime import timedelta

import pytest

from escape_events.registrations import services
from escape_events.registrations.models import Answer, Question, Registration, RegistrationPurge
from escape_events.registrations.services import privacy

from .test_races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_purge_jobs_at_once_purge_each_event_once(make_registrable, make_user, monkeypatch):
    events = [make_registrable(onsite=None) for _ in range(3)]
    for event in events:
        question = Question.objects.create(event=event, label="Experiment")
        for _ in range(3):
            services.register(
                event=event, user=make_user(), mode="onsite", answers={question.pk: "SKAO"}
            )
    later = max(event.end for event in events) + timedelta(days=400)
    original = privacy._remove_personal_data
    paused = []

    def slow(registrations):
        done = original(registrations)
        paused.append(done)
        time.sleep(0.2)  # hold the claim while the other job arrives
        return done

    monkeypatch.setattr(privacy, "_remove_personal_data", slow)
    results = []
    race([lambda: results.append(services.purge_due_registrations(now=later))] * 2)

    assert sum(len(done) for done in results) == 3  # each event by one job or the other
    assert paused == [(3, 3)] * 3  # each purge held its claim while the other job arrived
    assert RegistrationPurge.objects.count() == 3
    assert sorted(RegistrationPurge.objects.values_list("registrations", flat=True)) == [3, 3, 3]
    assert not Answer.objects.exists()
    assert not Registration.objects.filter(user__isnull=False).exists()
