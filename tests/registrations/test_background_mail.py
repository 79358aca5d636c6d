"""In production mails leave the request: the database queue holds them until a worker runs."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from escape_events.registrations import services
from escape_events.registrations.models import Registration


# The worker closes "old" connections between tasks, which would close the connection a
# transaction-wrapped test runs in on PostgreSQL: this test commits for real instead.
@pytest.mark.django_db(transaction=True)
def test_registering_queues_the_mail_and_the_worker_sends_it(
    settings, make_registrable, make_user, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    event = make_registrable()
    person = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        registration, _ = services.register(event=event, user=person, mode=Registration.Mode.ONSITE)
    assert registration.status == Registration.Status.CONFIRMED
    assert mail.outbox == []  # nothing was sent while the request ran
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY"

    call_command("db_worker", batch=True, no_startup_delay=True, interval=0)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    (message,) = mail.outbox
    assert message.to == [person.email] and "You are registered" in message.body
