"""The whole OpenID Connect login against a local fake provider (no network beyond 127.0.0.1).

The provider serves discovery, the token endpoint and userinfo as INDIGO IAM or Keycloak would;
the test follows allauth's redirect, comes back with a code and checks who is logged in and in
which groups, at the first login and again at the next one.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

pytestmark = pytest.mark.django_db
CLIENT_ID = "escape-events"


class FakeProvider(BaseHTTPRequestHandler):
    """Discovery, token and userinfo endpoints; `claims` is what the next login will carry."""

    claims: dict = {}
    token_requests: list = []

    def log_message(self, *args):
        pass

    def _json(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        base = f"http://{self.headers['Host']}"
        if self.path == "/.well-known/openid-configuration":
            self._json(
                {
                    "issuer": base,
                    "authorization_endpoint": f"{base}/authorize",
                    "token_endpoint": f"{base}/token",
                    "userinfo_endpoint": f"{base}/userinfo",
                    "jwks_uri": f"{base}/jwks",
                    "token_endpoint_auth_methods_supported": ["client_secret_post"],
                }
            )
        elif self.path == "/userinfo" and self.headers["Authorization"] == "Bearer at-1":
            self._json(self.claims)
        else:
            self.send_error(404)

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        form = parse_qs(self.rfile.read(length).decode())
        FakeProvider.token_requests.append(form)
        if self.path != "/token" or form.get("code") != ["the-code"]:
            self.send_error(400)
            return
        now = int(time.time())
        id_token = jwt.encode(
            {
                "iss": f"http://{self.headers['Host']}",
                "aud": CLIENT_ID,
                "sub": self.claims["sub"],
                "iat": now,
                "exp": now + 300,
            },
            "provider-signing-key-of-at-least-32-bytes",
            algorithm="HS256",
        )
        self._json(
            {
                "access_token": "at-1",
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }
        )


@pytest.fixture
def provider(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "oidc",
                    "name": "ESCAPE IAM",
                    "client_id": CLIENT_ID,
                    "secret": "client-secret",
                    "settings": {
                        "server_url": f"http://127.0.0.1:{server.server_port}",
                        "scope": ["openid", "email", "profile"],
                    },
                }
            ],
        }
    }
    FakeProvider.token_requests = []
    yield FakeProvider
    server.shutdown()
    server.server_close()


def log_in_through_provider(client, claims):
    FakeProvider.claims = claims
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "oidc"}))
    assert response.status_code == 302
    authorize = urlparse(response["Location"])
    query = parse_qs(authorize.query)
    assert authorize.path == "/authorize" and query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"]
    callback = reverse("openid_connect_callback", kwargs={"provider_id": "oidc"})
    return client.get(callback, {"code": "the-code", "state": query["state"][0]})


def test_first_login_creates_a_verified_account_with_the_claimed_groups(client, provider):
    response = log_in_through_provider(
        client,
        {
            "sub": "iam-123",
            "email": "ada@example.org",
            "email_verified": True,
            "given_name": "Ada",
            "family_name": "Lovelace",
            "wlcg.groups": ["/escape", "/escape/wp2"],
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(email="ada@example.org")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert user.first_name == "Ada"
    assert EmailAddress.objects.get(user=user).verified
    assert set(user.groups.values_list("name", flat=True)) == {"/escape", "/escape/wp2"}
    # The code was exchanged with PKCE and the client's credentials.
    (token_request,) = provider.token_requests
    assert token_request["client_id"] == [CLIENT_ID] and "code_verifier" in token_request


def test_groups_follow_the_provider_at_every_login(client, provider):
    claims = {"sub": "iam-9", "email": "grace@example.org", "email_verified": True}
    log_in_through_provider(client, {**claims, "groups": ["escape", "swan-users"]})
    user = get_user_model().objects.get(email="grace@example.org")
    by_hand = Group.objects.create(name="site-helpers")
    user.groups.add(by_hand)
    client.post(reverse("account_logout"))

    log_in_through_provider(client, {**claims, "groups": ["escape"]})

    assert int(client.session["_auth_user_id"]) == user.pk
    assert set(user.groups.values_list("name", flat=True)) == {"escape", "site-helpers"}


def test_first_login_fills_names_and_affiliation_from_the_claims(client, provider):
    log_in_through_provider(
        client,
        {
            "sub": "iam-7",
            "email": "lise@example.org",
            "email_verified": True,
            "name": "Lise Meitner",  # no given_name / family_name: the name is split
            "organisation_name": "Kaiser Wilhelm Institute",  # INDIGO IAM's claim
        },
    )
    user = get_user_model().objects.get(email="lise@example.org")
    assert (user.first_name, user.last_name) == ("Lise", "Meitner")
    assert user.affiliation == "Kaiser Wilhelm Institute"


def test_later_logins_fill_only_what_the_person_left_empty(client, provider):
    claims = {"sub": "iam-8", "email": "emmy@example.org", "email_verified": True}
    log_in_through_provider(client, claims)
    user = get_user_model().objects.get(email="emmy@example.org")
    assert not user.has_name  # the provider sent no names: the first registration asks
    user.first_name = "Amalie Emmy"
    user.save()
    client.post(reverse("account_logout"))

    log_in_through_provider(
        client,
        {**claims, "given_name": "Emmy", "family_name": "Noether", "affiliation": "Göttingen"},
    )
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.affiliation) == (
        "Amalie Emmy",  # typed by the person: kept
        "Noether",
        "Göttingen",
    )
