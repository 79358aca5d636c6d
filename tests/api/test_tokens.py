"""API tokens on the account page: made with scopes and an expiry, shown once, stored hashed,
listed with their last use, revoked at once; and made from the command line."""

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from escape_events.api.models import ApiToken

URL = "/accounts/api-tokens/"


def secret_in(response) -> str:
    return re.search(r'value="(ee_[^"]+)"', response.content.decode()).group(1)


def test_the_account_page_links_to_the_tokens(client, make_user):
    client.force_login(make_user())
    assert URL.encode() in client.get(reverse("accounts:profile")).content


def test_a_token_is_shown_once_and_only_its_hash_is_kept(client, api, make_user):
    person = make_user()
    client.force_login(person)
    response = client.post(URL, {"name": "mailing list", "registrations": "on", "lifetime": "30"})
    assert response.status_code == 200
    secret = secret_in(response)
    stored = ApiToken.objects.get(user=person)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    assert (stored.expires_at - stored.created_at).days == 30
    assert stored.scopes == ["registrations"]
    listing = client.get(URL).content.decode()
    assert secret not in listing
    assert stored.prefix in listing and "never used" in listing
    assert api(secret).get("/api/me/registrations").status_code == 200
    assert "last used" in client.get(URL).content.decode()


def test_a_token_needs_a_scope_and_one_event_needs_organiser_access(
    client, organiser, hands_on, make_user
):
    client.force_login(organiser)
    response = client.post(URL, {"name": "nothing", "lifetime": "30"})
    assert response.status_code == 400
    assert "tick at least one scope" in response.content.decode()
    response = client.post(
        URL, {"name": "x", "registrations": "on", "event": hands_on.pk, "lifetime": "7"}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_only_events_one_organises_can_be_chosen(client, make_user, hands_on):
    client.force_login(make_user())
    response = client.post(
        URL, {"name": "x", "organiser": "read", "event": hands_on.pk, "lifetime": "7"}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_stops_the_token_at_once(client, api, make_user, make_token):
    person = make_user()
    secret = make_token(person, registrations=True)
    client.force_login(person)
    token = ApiToken.objects.get()
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert api(secret).get("/api/me/registrations").status_code == 401
    assert token.prefix not in client.get(URL).content.decode()


def test_nobody_revokes_someone_elses_token(client, make_user, make_token):
    make_token(make_user(), registrations=True)
    client.force_login(make_user())
    token = ApiToken.objects.get()
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_tokens_page_needs_a_sign_in_and_csrf(client, make_user):
    assert client.get(URL).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user())
    assert (
        strict.post(URL, {"name": "x", "registrations": "on", "lifetime": "7"}).status_code == 403
    )


def test_the_command_makes_a_token_for_the_readme(api, organiser, hands_on):
    out = StringIO()
    call_command(
        "create_api_token", "olga@example.org", "--organiser", "write", "--event", hands_on.slug,
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert (token.event, token.scopes) == (hands_on, ["organiser:read", "organiser:write"])
    assert api(secret).get(f"/api/organise/events/{hands_on.slug}").status_code == 200


@pytest.mark.parametrize(
    "args",
    [["nobody@example.org", "--registrations"], ["olga@example.org"],
     ["olga@example.org", "--organiser", "read", "--event", "ottos-event"],
     ["olga@example.org", "--registrations", "--days", "900"]],
)  # fmt: skip
def test_the_command_refuses_what_makes_no_sense(organiser, other_organiser, args):
    with pytest.raises(CommandError):
        call_command("create_api_token", *args, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_staff_can_revoke_tokens_in_the_admin(admin_client, api, make_user, make_token):
    secret = make_token(make_user(), registrations=True)
    token = ApiToken.objects.get()
    response = admin_client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert api(secret).get("/api/me/registrations").status_code == 401


def test_the_token_list_writes_its_dates_in_the_readers_language(client, make_user):
    from django.utils import timezone, translation

    from escape_events.events.when import date_text

    person = make_user()
    client.force_login(person)
    client.post(URL, {"name": "mailing list", "registrations": "on", "lifetime": "30"})
    stored = ApiToken.objects.get(user=person)
    for language in ("en-gb", "fr", "de"):
        with translation.override(language):
            expires = date_text(timezone.localtime(stored.expires_at))
        page = client.get(URL, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert expires in page
