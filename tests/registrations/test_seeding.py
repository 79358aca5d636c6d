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
