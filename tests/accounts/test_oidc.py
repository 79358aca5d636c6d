"""OpenID Connect offline: configured from the environment, claims mapped to groups at login."""

import importlib
from types import SimpleNamespace

import pytest
from allauth.account.signals import user_logged_in
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from escape_events.accounts.services import (
    claims_from_extra_data,
    group_names_from_claims,
    profile_from_claims,
    sync_groups_from_claims,
)

pytestmark = pytest.mark.django_db


def fake_sociallogin(extra_data):
    return SimpleNamespace(account=SimpleNamespace(provider="oidc", extra_data=extra_data))


def log_in_with_provider(user, extra_data):
    request = RequestFactory().get("/")
    user_logged_in.send(
        sender=type(user),
        request=request,
        response=None,
        user=user,
        sociallogin=fake_sociallogin(extra_data),
    )


def test_every_group_claim_style_is_understood():
    claims = {
        "groups": ["escape", "escape/wp2"],
        "wlcg.groups": "/escape /escape/wp2",
        "entitlements": "urn:mace:egi.eu:group:escape",
        "eduperson_entitlement": ["urn:geant:cern.ch:group:swan-users"],
        "email": "x@example.org",
    }
    assert set(group_names_from_claims(claims)) == {
        "escape",
        "escape/wp2",
        "/escape",
        "/escape/wp2",
        "urn:mace:egi.eu:group:escape",
        "urn:geant:cern.ch:group:swan-users",
    }


def test_userinfo_and_id_token_claims_are_merged():
    extra = {"id_token": {"groups": ["a"], "sub": "1"}, "userinfo": {"groups": ["b"]}}
    assert claims_from_extra_data(extra)["groups"] == ["b"]


def test_login_replaces_claimed_groups_but_keeps_hand_assigned_ones(django_user_model):
    user = django_user_model.objects.create_user(username="u", email="u@example.org")
    organisers = Group.objects.create(name="organisers")
    user.groups.add(organisers)
    log_in_with_provider(user, {"userinfo": {"wlcg.groups": ["/escape", "/escape/wp2"]}})
    assert set(user.groups.values_list("name", flat=True)) == {
        "organisers",
        "/escape",
        "/escape/wp2",
    }
    log_in_with_provider(user, {"userinfo": {"wlcg.groups": ["/escape"]}})
    assert set(user.groups.values_list("name", flat=True)) == {"organisers", "/escape"}


def test_password_login_leaves_groups_alone(django_user_model):
    user = django_user_model.objects.create_user(username="u", email="u@example.org")
    sync_groups_from_claims(user=user, claims={"groups": ["escape"]})
    user_logged_in.send(sender=type(user), request=RequestFactory().get("/"), response=None,
                        user=user)  # fmt: skip
    assert list(user.groups.values_list("name", flat=True)) == ["escape"]


def test_login_page_offers_sign_in_with_the_configured_provider(client, monkeypatch, settings):
    monkeypatch.setenv("OIDC_NAME", "ESCAPE IAM")
    monkeypatch.setenv("OIDC_SERVER_URL", "https://iam-escape.example.org")
    monkeypatch.setenv("OIDC_CLIENT_ID", "client")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "secret")
    import escape_events.settings as project_settings

    reloaded = importlib.reload(project_settings)
    settings.SOCIALACCOUNT_PROVIDERS = reloaded.SOCIALACCOUNT_PROVIDERS
    app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
    assert app["settings"]["server_url"] == "https://iam-escape.example.org"
    html = client.get(reverse("account_login")).content.decode()
    assert "Sign in with ESCAPE IAM" in html
    monkeypatch.delenv("OIDC_SERVER_URL")
    importlib.reload(project_settings)


def test_no_provider_button_without_configuration(client):
    assert "Sign in with" not in client.get(reverse("account_login")).content.decode()


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        (
            {"given_name": "Ada", "family_name": "Lovelace", "affiliation": "CERN"},
            {"first_name": "Ada", "last_name": "Lovelace", "affiliation": "CERN"},
        ),
        (
            {"name": "  Ada   King Lovelace ", "schac_home_organization": ["cern.ch", "x"]},
            {"first_name": "Ada", "last_name": "King Lovelace", "affiliation": "cern.ch"},
        ),
        (
            {"given_name": 5, "name": None, "o": {"not": "text"}},
            {"first_name": "", "last_name": "", "affiliation": ""},
        ),
        ({"family_name": "x" * 500}, {"first_name": "", "last_name": "x" * 150, "affiliation": ""}),
    ],
)
def test_profile_from_claims_takes_what_providers_send(claims, expected):
    assert profile_from_claims(claims) == expected
