"""allauth's mails speak as the site does: greeted by first name, sentence case, signed."""

import re

import pytest
from allauth.core.context import request_context
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from escape_events.accounts.adapters import AccountAdapter

pytestmark = pytest.mark.django_db
SIGN_UP = {
    "email": "ada@example.org",
    "password1": "a-long-test-pw-123",
    "password2": "a-long-test-pw-123",
    "first_name": "Ada",
    "last_name": "Lovelace",
}


def title_case(subject: str) -> bool:
    words = re.findall(r"[A-Za-z][\w-]*", subject.removeprefix("[escape_events] "))
    return all(word[0].isupper() for word in words) and len(words) > 1


def test_the_confirmation_greets_by_first_name_in_the_sites_voice(client, settings):
    client.post(reverse("account_signup"), SIGN_UP)

    (message,) = mail.outbox
    assert message.subject.endswith("Please confirm your e-mail address")
    assert message.body.startswith("Hello Ada,\n")
    assert "/accounts/confirm-email/" in message.body
    assert "Hello from" not in message.body and "Thank you for using" not in message.body
    assert message.body.rstrip().endswith(f"-- escape_events\n{settings.SITE_URL}")


def test_a_reset_for_an_unknown_address_greets_nobody_by_a_wrong_name(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    (message,) = mail.outbox
    assert message.body.startswith("Hello,\n")
    assert "no account with this address" in message.body
    assert not title_case(message.subject)


def test_a_security_notice_names_the_change_and_where_to_act(django_user_model, rf, settings):
    user = django_user_model.objects.create_user(
        username="ada", email="ada@example.org", first_name="Ada", password="x-long-pw-123"
    )
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True  # off by default; an operator may turn it on
    request = rf.get("/", HTTP_USER_AGENT="Firefox")
    with request_context(request):
        AccountAdapter(request).send_notification_mail("account/email/password_changed", user)

    (message,) = mail.outbox
    assert message.subject.endswith("Your password was changed")
    assert message.body.startswith("Hello Ada,\n\nYour password was changed.")
    assert f"{settings.SITE_URL}/accounts/password/reset/" in message.body


@pytest.mark.parametrize(
    "name",
    [
        "account_already_exists",
        "email_changed",
        "email_confirm",
        "email_confirmation",
        "email_confirmation_signup",
        "email_deleted",
        "login_code",
        "password_changed",
        "password_reset_code",
        "password_reset_key",
        "password_reset",
        "password_set",
        "unknown_account",
    ],
)
def test_no_account_mail_subject_is_in_title_case(name):
    subject = render_to_string(f"account/email/{name}_subject.txt").strip()
    assert subject and not title_case(subject), subject
