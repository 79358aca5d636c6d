"""Retention purge, status history, listing consent and the accepted privacy notice.

The clock is frozen (time-machine) at 1 Dec 2020, 03:00 Zurich, when the nightly job runs.
"""

import io
import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escape_events.accounts.services import privacy_notice_in_force, publish_privacy_notice
from escape_events.organisers.charts import registrations_chart
from escape_events.organisers.selectors import registration_counts, registrations_per_day
from escape_events.registrations import services
from escape_events.registrations.models import (
    Answer,
    Question,
    Registration,
    RegistrationPurge,
    RegistrationSettings,
    StatusChange,
)

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
NOW = datetime(2020, 12, 1, 3, 0, tzinfo=ZURICH)
Mode = Registration.Mode
Status = Registration.Status


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def held(make_event, make_user):
    """An event that ended `ended_ago` before NOW, with people registered while it was open:
    confirmed on-site (checked in), remote, waiting and cancelled, each with an answer."""

    def make(*, ended_ago, retention_months=None, people=4):
        end = NOW - ended_ago
        event = make_event(start=end - timedelta(hours=3), end=end)
        settings = RegistrationSettings.objects.create(
            event=event,
            opens_at=end - timedelta(days=60),
            onsite_capacity=2,
            remote_capacity=None,
            public_participant_list=True,
            retention_months=retention_months,
        )
        question = Question.objects.create(event=event, label="Experiment")
        opened = end - timedelta(days=50)
        for number in range(people):
            with time_machine.travel(opened + timedelta(days=number), tick=False):
                mode = Mode.REMOTE if number == 1 else Mode.ONSITE
                services.register(
                    event=event,
                    user=make_user(),
                    mode=mode,
                    answers={question.pk: f"CTAO {number}"},
                    consent_to_list=True,
                )
        first = Registration.objects.filter(event=event).order_by("pk").first()
        Registration.objects.filter(pk=first.pk).update(checked_in_at=end - timedelta(hours=2))
        last = Registration.objects.filter(event=event).order_by("pk").last()
        with time_machine.travel(opened + timedelta(days=10), tick=False):
            services.cancel_registration(registration=last, by=last.user)
        return event, settings

    return make


def personal_state(event):
    """Everything personal about the event's registrations."""
    rows = Registration.objects.filter(event=event)
    return (
        sorted(rows.exclude(user=None).values_list("pk", "user_id")),
        Answer.objects.filter(registration__event=event).count(),
        StatusChange.objects.filter(registration__event=event).count(),
        rows.filter(consent_to_list=True).count(),
    )


def anonymous_state(event):
    """What stays: every row's mode, status, times and check-in."""
    return sorted(
        Registration.objects.filter(event=event).values_list(
            "pk", "mode", "status", "created_at", "cancelled_at", "checked_in_at", "waiting_since"
        )
    )


def test_purge_removes_exactly_the_personal_data_of_events_past_their_period(held, frozen):
    long_ago, _ = held(ended_ago=timedelta(days=400))  # 13 months: past the site's 12
    shortened, _ = held(ended_ago=timedelta(days=45), retention_months=1)  # past its own 1
    recent, _ = held(ended_ago=timedelta(days=45))  # within the site's 12 months
    today, _ = held(ended_ago=timedelta(hours=1), retention_months=0)  # 0: right after the end
    kept = {event.pk: personal_state(event) for event in (recent,)}
    rows_before = {event.pk: anonymous_state(event) for event in (long_ago, shortened, today)}

    out = io.StringIO()
    call_command("purge_registration_data", stdout=out)

    for event in (long_ago, shortened, today):
        assert personal_state(event) == ([], 0, 0, 0), event
        assert anonymous_state(event) == rows_before[event.pk]  # rows, modes, statuses, times
        purge = RegistrationPurge.objects.get(event=event)
        assert (purge.purged_at, purge.registrations, purge.answers) == (NOW, 4, 4)
    assert personal_state(recent) == kept[recent.pk]
    assert not RegistrationPurge.objects.filter(event=recent).exists()
    assert "3 event(s) purged." in out.getvalue()


def test_purging_twice_in_a_row_changes_nothing_more(held, frozen):
    event, _ = held(ended_ago=timedelta(days=400))
    held(ended_ago=timedelta(days=10))
    assert len(services.purge_due_registrations()) == 1

    def everything():
        return (
            list(Registration.objects.order_by("pk").values()),
            list(Answer.objects.order_by("pk").values()),
            list(StatusChange.objects.order_by("pk").values()),
            list(RegistrationPurge.objects.order_by("pk").values()),
        )

    after_first = everything()
    out = io.StringIO()
    call_command("purge_registration_data", stdout=out)
    assert everything() == after_first
    assert "0 event(s) purged." in out.getvalue()
    assert services.purge_event_registrations(event=event) is None  # claimed already


def test_counts_check_ins_and_chart_are_the_same_after_the_purge(held, frozen):
    event, settings = held(ended_ago=timedelta(days=400), people=6)
    labels = dict(Mode.choices)

    def figures():
        per_day = registrations_per_day(event, Mode.values)
        chart = registrations_chart(per_day, labels, until=event.last_day)
        return registration_counts(event, settings), per_day, chart

    before = figures()
    assert before[0][0].checked_in == 1 and before[0][0].count(Status.WAITING) > 0
    services.purge_due_registrations()
    assert figures() == before


def test_the_purge_job_runs_a_fixed_number_of_queries_per_event(held, frozen):
    small, _ = held(ended_ago=timedelta(days=400), people=2)
    big, _ = held(ended_ago=timedelta(days=401), people=12)
    counts = []
    for event in (small, big):
        with CaptureQueriesContext(connection) as queries:
            services.purge_event_registrations(event=event)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_dry_run_lists_the_events_due_and_changes_nothing(held, frozen):
    event, _ = held(ended_ago=timedelta(days=400))
    before = personal_state(event)
    out = io.StringIO()
    call_command("purge_registration_data", "--dry-run", stdout=out)
    assert event.title in out.getvalue() and "1 event(s) due" in out.getvalue()
    assert personal_state(event) == before


def test_the_site_period_caps_an_events_period_when_it_is_lowered(held, frozen, settings):
    event, stored = held(ended_ago=timedelta(days=100), retention_months=6)
    assert services.purge_due_registrations() == []
    settings.REGISTRATION_RETENTION_MONTHS = 3
    assert services.retention_months(stored) == 3
    assert [purge.event for purge in services.purge_due_registrations()] == [event]


@pytest.mark.parametrize("months", [-1, 13])
def test_organisers_may_shorten_the_period_but_not_extend_it(held, frozen, make_user, months):
    event, stored = held(ended_ago=timedelta(days=1))
    organiser = make_user()
    event.organisers.add(organiser)
    services.set_retention_period(settings=stored, months=3, by=organiser)
    assert RegistrationSettings.objects.get(pk=stored.pk).retention_months == 3
    with pytest.raises(services.RegistrationRefused):
        services.set_retention_period(settings=stored, months=months, by=organiser)
    with pytest.raises(services.RegistrationRefused):
        services.set_retention_period(settings=stored, months=1, by=make_user())
    assert RegistrationSettings.objects.get(pk=stored.pk).retention_months == 3


def test_the_status_history_records_every_step_whichever_service_took_it(
    make_registrable, make_user
):
    event = make_registrable(onsite=1, remote=5)
    holder, waiter = make_user(), make_user()
    seat, _ = services.register(event=event, user=holder, mode=Mode.ONSITE)
    line, _ = services.register(event=event, user=waiter, mode=Mode.ONSITE)
    services.switch_mode(registration=line, mode=Mode.REMOTE, by=waiter, keep_waiting=True)
    services.cancel_registration(registration=seat, by=holder)

    def steps(registration):
        return list(
            StatusChange.objects.filter(registration=registration).values_list(
                "status", "mode", "waiting_for_mode"
            )
        )

    assert steps(seat) == [("confirmed", "onsite", ""), ("cancelled", "onsite", "")]
    assert steps(line) == [
        ("waiting", "onsite", ""),
        ("confirmed", "remote", "onsite"),  # remote now, still waiting for on-site
        ("confirmed", "onsite", ""),  # moved up when the seat freed
    ]
    line.refresh_from_db()
    line.save()  # a save without a change adds nothing
    assert len(steps(line)) == 3


def test_a_purge_already_claimed_by_another_job_is_left_alone(held, frozen):
    event, _ = held(ended_ago=timedelta(days=400))
    RegistrationPurge.objects.create(event=event, purged_at=NOW, registrations=0, answers=0)
    before = personal_state(event)
    assert services.purge_event_registrations(event=event) is None
    assert services.purge_due_registrations() == []
    assert personal_state(event) == before


def register_page(client, event, **data):
    return client.post(reverse("site:register", args=[event.slug]), data)


def test_registering_records_the_privacy_notice_version_accepted(
    client, make_registrable, make_user
):
    event = make_registrable()
    person = make_user()
    client.force_login(person)
    notice = privacy_notice_in_force()
    page = client.get(event.get_absolute_url()).content.decode()
    assert reverse("privacy:notice") in page and f"version {notice.version}" in page

    refused = register_page(client, event, attend="onsite")
    assert refused.status_code == 400
    assert "Please read the privacy notice and tick the box." in refused.content.decode()
    assert not Registration.objects.exists()

    response = register_page(
        client,
        event,
        attend="onsite",
        accept_privacy_notice="on",
        privacy_notice_version=notice.version,
    )
    assert response.status_code == 302
    registration = Registration.objects.get(user=person)
    assert registration.privacy_notice_id == notice.pk
    assert registration.consent_to_list is False  # the listing consent is a separate choice


def test_a_notice_published_while_the_form_was_open_must_be_read_again(
    client, make_registrable, make_user
):
    event = make_registrable()
    client.force_login(make_user())
    old = privacy_notice_in_force()
    new = publish_privacy_notice(text=old.text + "\n\nA new paragraph.", changes="New paragraph")
    response = register_page(
        client,
        event,
        attend="onsite",
        accept_privacy_notice="on",
        privacy_notice_version=old.version,
    )
    assert response.status_code == 400
    assert f"read version {new.version}" in response.content.decode()
    assert not Registration.objects.exists()


def test_people_change_their_listing_consent_later(client, make_registrable, make_user):
    event = make_registrable(public_participant_list=True)
    person, stranger = make_user(), make_user()
    registration, _ = services.register(event=event, user=person, mode=Mode.ONSITE)
    url = reverse("site:listing", args=[registration.pk])
    client.force_login(person)
    assert "Show my name in the list" in client.get(reverse("site:mine")).content.decode()
    assert client.post(url, {"consent": "yes"}).status_code == 302
    registration.refresh_from_db()
    assert registration.consent_to_list
    assert client.post(url, {"consent": "maybe"}).status_code == 400
    client.post(url, {"consent": "no"})
    registration.refresh_from_db()
    assert not registration.consent_to_list
    client.force_login(stranger)
    assert client.post(url, {"consent": "yes"}).status_code == 404
    registration.refresh_from_db()
    assert not registration.consent_to_list


def test_a_ticket_whose_person_was_removed_still_scans_without_a_name(make_registrable, make_user):
    from escape_events.registrations.checkin import check_in

    event = make_registrable()
    registration, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    Registration.objects.filter(pk=registration.pk).update(user=None)
    result = check_in(code_or_registration=registration.check_in_code, event=event, by=make_user())
    assert result.checked_in and result.message == "Removed person is checked in (On-site)."
