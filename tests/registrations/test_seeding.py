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
    assert labels == ["Affiliation", "Experiment / ESFRI", "Do you have a SWAN account?"]
    assert RegistrationSettings.objects.count() == 2


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
