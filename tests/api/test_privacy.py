"""The API's part of a person's data: in their export, and ended with their account; old
records purged by the scheduled job."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from escape_events.accounts.selectors import deletion_preview, personal_data
from escape_events.accounts.services import delete_account
from escape_events.api.models import ApiToken, ApiWriteLog, IdempotentRequest

from .conftest import accepted_notice


def test_my_data_lists_my_tokens_without_their_secret_and_my_api_writes(
    api, make_user, make_token, hands_on
):
    person = make_user()
    secret = make_token(person, registrations=True)
    unanswered = {"mode": "onsite", "privacy_notice_version": accepted_notice()}
    api(secret).post(f"/api/events/{hands_on.slug}/registrations", unanswered)
    data = personal_data(person)
    assert data["api_tokens"][0]["scopes"] == ["registrations"]
    assert secret not in str(data)
    assert data["api_writes"][0]["operation"] == "register"
    assert data["api_writes"][0]["status"] == 400


def test_deleting_the_account_ends_its_tokens_and_keeps_an_anonymous_write_log(
    api, make_user, make_token, hands_on
):
    person = make_user()
    secret = make_token(person, registrations=True)
    unanswered = {"mode": "onsite", "privacy_notice_version": accepted_notice()}
    api(secret).post(f"/api/events/{hands_on.slug}/registrations", unanswered)
    assert "Your 1 API token stops working." in deletion_preview(person)
    delete_account(user=person, by=person)
    assert not ApiToken.objects.exists()
    assert api(secret).get("/api/me/registrations").status_code == 401
    assert ApiWriteLog.objects.get().user is None


def test_the_purge_forgets_old_retry_answers_and_old_write_logs(make_user, settings):
    settings.API_WRITE_LOG_DAYS = 30
    person = make_user()
    now = timezone.now()
    old, _fresh = (
        IdempotentRequest.objects.create(user=person, key=key, fingerprint="f", status=200)
        for key in ("old", "fresh")
    )
    IdempotentRequest.objects.filter(pk=old.pk).update(created_at=now - timedelta(hours=25))
    for days in (31, 29):
        entry = ApiWriteLog.objects.create(
            user=person, operation="register", method="POST", path="/api/x", status=201
        )
        ApiWriteLog.objects.filter(pk=entry.pk).update(created_at=now - timedelta(days=days))
    out = StringIO()
    call_command("purge_api_records", stdout=out)
    call_command("purge_api_records", stdout=out)  # a second run finds nothing
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["fresh"]
    assert ApiWriteLog.objects.count() == 1
    assert out.getvalue().splitlines() == [
        "Deleted 1 stored retry answers and 1 API write log entries.",
        "Deleted 0 stored retry answers and 0 API write log entries.",
    ]
