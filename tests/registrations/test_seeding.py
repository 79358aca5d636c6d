from django.core.management import call_command

from escape_events.registrations.models import Question, RegistrationSettings


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


def test_retired_seed_questions_are_removed_on_the_next_load(db):
    call_command("load_seeds")
    event_questions = Question.objects.filter(event__slug="swan-hands-on-demo")
    event_questions.create(event_id=event_questions.first().event_id, label="Affiliation")
    call_command("load_seeds")
    assert not event_questions.filter(label="Affiliation").exists()


def test_the_demo_brings_named_participants_followers_and_check_ins(db):
    from io import StringIO

    from django.core import mail

    from escape_events.registrations.models import Registration, SeriesFollower

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
