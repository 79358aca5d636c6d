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


def test_seeds_write_settings_through_the_service_so_a_bigger_room_serves_the_line(
    db, tmp_path, make_user
):
    import json

    from escape_events.events.seeding import SEED_FILE, load_seeds
    from escape_events.registrations import services
    from escape_events.registrations.models import Registration
    from escape_events.registrations.seeding import load_registration_seeds

    load_seeds()
    load_registration_seeds()
    demo = RegistrationSettings.objects.get(event__slug="swan-hands-on-demo").event
    services.set_capacity(
        settings=demo.registration_settings, onsite_capacity=1, remote_capacity=30
    )
    answers = {question.pk: "yes" for question in demo.questions.filter(kind="yes_no")}
    answers |= {q.pk: "CERN" for q in demo.questions.filter(required=True, kind="text")}
    for _ in range(2):
        services.register(event=demo, user=make_user(), mode="onsite", answers=answers)
    assert demo.registrations.filter(status=Registration.Status.WAITING).count() == 1
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    for spec in data["demo_events"]:
        if spec["slug"] == "swan-hands-on-demo":
            spec["registration"]["onsite_capacity"] = 2
    bigger = tmp_path / "escape.json"
    bigger.write_text(json.dumps(data), encoding="utf-8")
    load_registration_seeds(bigger)
    assert demo.registrations.filter(status=Registration.Status.WAITING).count() == 0
