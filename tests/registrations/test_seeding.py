from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from escape_events.events.models import Event
from escape_events.registrations.models import (
    Question,
    Registration,
    RegistrationSettings,
    SeriesFollower,
)


def test_load_seeds_opens_registration_for_the_demo_hands_on_idempotently(db):
    call_command("load_seeds")
    call_command("load_seeds")
    settings = RegistrationSettings.objects.get(event__slug="swan-hands-on-demo")
    assert (settings.onsite_capacity, settings.remote_capacity) == (10, 30)
    labels = list(
        Question.objects.filter(event__slug="swan-hands-on-demo").values_list("label", flat=True)
    )
    # Affiliation is the profile's (asked at sign-up), not a question of each event.
    assert labels == ["Experiment / ESFRI", "Do you have a SWAN account?"]
    assert RegistrationSettings.objects.count() == 2


def test_the_demo_brings_named_participants_followers_and_check_ins(db):
    for _ in range(2):  # idempotent
        out = StringIO()
        call_command("load_seeds", "--demo-organiser", stdout=out)
    assert "8 on the SWAN hands-on demo, 2 checked in" in out.getvalue()
    people = Registration.objects.filter(event__slug="swan-hands-on-demo").select_related("user")
    assert people.count() == 8
    assert {r.user.display_name for r in people} >= {"Ada Lovelace", "Marie Skłodowska-Curie"}
    assert all(r.user.affiliation for r in people)
    assert people.filter(checked_in_at__isnull=False).count() == 2
    assert SeriesFollower.objects.filter(series__slug="escape-wp2-meeting").count() == 3
    assert not mail.outbox  # loading the demo mails nobody


def snapshot():
    """Every row a load could touch, as plain values."""
    from escape_events.events.models import Event, MeetingAttendance, Series, Venue
    from escape_events.outbox.models import OutgoingMail
    from escape_events.registrations.models import Answer, SeriesFollower
    from escape_events.timetable.models import Entry

    def rows(queryset):
        return sorted(queryset.values_list(), key=repr)

    return {
        "events": rows(Event.objects.all()),
        "organisers": rows(Event.organisers.through.objects.all()),
        "series": rows(Series.objects.all()),
        "venues": rows(Venue.objects.all()),
        "present": rows(MeetingAttendance.objects.all()),
        "settings": rows(RegistrationSettings.objects.all()),
        "questions": rows(Question.objects.all()),
        "registrations": rows(Registration.objects.all()),
        "answers": rows(Answer.objects.all()),
        "followers": rows(SeriesFollower.objects.all()),
        "entries": rows(Entry.objects.all()),
        "outbox": rows(OutgoingMail.objects.all()),
    }


def change_the_demo_as_people_would(make_user):
    """Fewer seats, people waiting, a question, an agenda entry, a cancellation, an unfollow."""
    from escape_events.registrations import services

    demo = Event.objects.get(slug="swan-hands-on-demo")
    ada = demo.registrations.get(user__email="ada.lovelace@example.org")
    services.cancel_registration(registration=ada, by=ada.user)
    services.set_capacity(
        settings=demo.registration_settings, onsite_capacity=4, remote_capacity=30
    )
    answers = {q.pk: "no" for q in demo.questions.filter(kind="yes_no")}
    waiting = [
        services.register(event=demo, user=make_user(), mode="onsite", answers=answers)[0]
        for _ in range(2)
    ]
    assert [r.status for r in waiting] == [Registration.Status.WAITING] * 2
    demo.questions.filter(kind="yes_no").update(label="A SWAN account?", required=True)
    entry = demo.agenda_entries.order_by("start").first()
    entry.title = "Moved by the organisers"
    entry.save()
    SeriesFollower.objects.filter(user__email="enrico.fermi@example.org").delete()
    return demo


def test_a_second_load_changes_nothing_people_changed_and_mails_nobody(db, make_user):
    call_command("load_seeds", "--demo-organiser")
    demo = change_the_demo_as_people_would(make_user)
    mail.outbox.clear()
    before = snapshot()
    out = StringIO()
    call_command("load_seeds", "--demo-organiser", stdout=out)
    assert snapshot() == before
    assert not mail.outbox
    assert "0 created now" in out.getvalue()
    assert demo.registration_settings.onsite_capacity == 4
    assert demo.registrations.filter(status=Registration.Status.WAITING).count() == 2


def test_reset_demo_says_what_it_discards_and_makes_the_demo_afresh(db, make_user):
    call_command("load_seeds", "--demo-organiser")
    change_the_demo_as_people_would(make_user)
    Event.objects.filter(slug="swan-hands-on-2019").update(title="A real event, renamed")
    mail.outbox.clear()
    out = StringIO()
    call_command("load_seeds", "--demo-organiser", "--reset-demo", stdout=out)
    said = out.getvalue()
    assert "Discarded swan-hands-on-demo: 10 registrations, 2 questions" in said
    assert "Discarded series data-lake-office-hours-demo" in said
    demo = Event.objects.get(slug="swan-hands-on-demo")
    assert demo.registration_settings.onsite_capacity == 10
    assert demo.registrations.count() == 8
    assert demo.registrations.filter(status=Registration.Status.WAITING).count() == 0
    assert demo.agenda_entries.filter(title="Moved by the organisers").count() == 0
    assert Event.objects.get(slug="swan-hands-on-2019").title == "A real event, renamed"
    assert not mail.outbox


def test_reset_demo_is_refused_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="development only"):
        call_command("load_seeds", "--reset-demo")
    assert not Event.objects.exists()
