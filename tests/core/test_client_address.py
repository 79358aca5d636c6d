"""One client address for every limit, through a fake proxy chain (issue 22).

Behind HAProxy every request comes from 10.0.0.2. Each limit (sign-in, the admin through it,
the API, personal feeds, uploads) must count the client the proxy appended, so two clients never
share a bucket; a chain shorter than the trusted proxies is counted by the connecting address
and is never a 500; a bad TRUSTED_PROXY_COUNT stops start-up with a message.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from escape_events.api.services import issue_api_token
from escape_events.core.limits import client_address
from escape_events.feeds.services import issue_feed_token
from tests.core.test_production_settings import manage

PROXY = "10.0.0.2"
ALICE, BOB = "203.0.113.7", "198.51.100.9"


def via_proxy(forwarded_for: str | None, **extra) -> dict:
    headers = {"REMOTE_ADDR": PROXY, **extra}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return headers


@pytest.fixture
def behind_haproxy(settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (1, ALICE, ALICE),
        (1, f"192.0.2.1, {ALICE}", ALICE),  # the client's own prefix is not believed
        (2, f"{ALICE}, 172.16.0.1", ALICE),  # TLS terminator, then HAProxy
        (2, ALICE, PROXY),  # shorter than the proxies in front: not trusted
        (2, None, PROXY),
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
        (1, "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),  # a whole /64 is one caller
        (1, "::ffff:203.0.113.7", ALICE),
        (0, ALICE, PROXY),  # no proxy trusted: the header is anyone's to write
    ],
)
def test_the_client_address_is_what_the_trusted_proxies_saw(
    settings, proxies, forwarded_for, expected
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
    request = RequestFactory().get("/", **via_proxy(forwarded_for))
    assert client_address(request) == expected


def test_a_trusted_client_header_names_the_address(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    request = RequestFactory().get("/", **via_proxy(BOB, HTTP_X_REAL_IP=ALICE))
    assert client_address(request) == ALICE
    assert client_address(RequestFactory().get("/", **via_proxy(BOB))) == PROXY


def failed_sign_in(client, forwarded_for, email):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": "wrong"},
        **via_proxy(forwarded_for),
    )


def limited(response) -> bool:
    return response.status_code == 429 or "Too many" in response.content.decode()


def test_sign_in_counts_each_client_behind_the_proxy(client, settings, behind_haproxy):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    for number in range(2):
        failed_sign_in(client, ALICE, f"a{number}@example.org")
    assert limited(failed_sign_in(client, ALICE, "b@example.org"))
    assert not limited(failed_sign_in(client, BOB, "c@example.org"))


def test_a_short_chain_at_sign_in_is_counted_by_the_proxy_not_a_500(client, settings, db):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    answers = [failed_sign_in(client, ALICE, f"a{n}@example.org") for n in range(2)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert limited(failed_sign_in(client, BOB, "b@example.org"))  # both counted as the proxy


def test_a_failed_reauthentication_does_not_count_against_the_addresss_sign_ins(
    client, settings, behind_haproxy, make_user
):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip", "reauthenticate": "10/m/user"}
    person = make_user()
    client.force_login(person)
    for _ in range(3):
        response = client.post(
            reverse("account_reauthenticate"), {"password": "typo"}, **via_proxy(ALICE)
        )
        assert response.status_code == 200 and "password" in response.content.decode().lower()
    client.logout()
    assert not limited(failed_sign_in(client, ALICE, "someone@example.org"))
    client.force_login(person)
    right = client.post(
        reverse("account_reauthenticate"),
        {"password": "a-long-test-password"},
        **via_proxy(ALICE),
    )
    assert right.status_code == 302


def test_the_api_counts_anonymous_clients_apart_and_tokens_per_token(
    settings, behind_haproxy, make_user
):
    settings.API_ANONYMOUS_RATE_LIMIT = (2, 60)
    settings.API_RATE_LIMIT = (3, 60)
    client = Client()
    assert [client.get("/api/events", **via_proxy(ALICE)).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert client.get("/api/events", **via_proxy(BOB)).status_code == 200
    # Spoofing an earlier entry does not escape: the proxy appended the real address.
    assert client.get("/api/events", **via_proxy(f"192.0.2.1, {ALICE}")).status_code == 429
    # A public read with a valid token counts for the token, not for the address.
    _, secret = issue_api_token(
        user=make_user(), name="t", registrations=True, organiser="", lifetime=timedelta(days=1)
    )
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert [
        client.get("/api/events", **via_proxy(ALICE, **bearer)).status_code for _ in range(4)
    ] == [200, 200, 200, 429]
    # An unknown token is nobody's: the address counts (and it is spent already).
    unknown = {"HTTP_AUTHORIZATION": "Bearer nope"}
    assert client.get("/api/events", **via_proxy(ALICE, **unknown)).status_code == 429


def test_personal_feeds_count_per_person_and_unknown_tokens_per_client(
    client, settings, behind_haproxy, make_user
):
    settings.FEEDS_RATE_LIMIT = (2, 3600)
    token = issue_feed_token(user=make_user())
    url = reverse("feeds:personal", kwargs={"token": token})
    assert [client.get(url, **via_proxy(ALICE)).status_code for _ in range(3)] == [200, 200, 429]
    other = reverse("feeds:personal", kwargs={"token": issue_feed_token(user=make_user())})
    assert client.get(other, **via_proxy(ALICE)).status_code == 200  # another person's bucket
    guess = reverse("feeds:personal", kwargs={"token": "x" * 43})
    assert [client.get(guess, **via_proxy(ALICE)).status_code for _ in range(3)] == [
        404,
        404,
        429,
    ]
    assert client.get(guess, **via_proxy(BOB)).status_code == 404
    limited_page = client.get(guess, **via_proxy(ALICE))
    assert 1 <= int(limited_page["Retry-After"]) <= 3601


def test_uploads_count_per_person_not_per_address(settings, behind_haproxy, make_user, make_event):
    settings.UPLOAD_RATE_LIMIT = (2, 3600)
    right = Permission.objects.get(content_type__app_label="events", codename="add_event")
    event = make_event()
    url = reverse("organisers:files", args=[event.slug])
    codes = {}
    for name in ("olga", "otto"):
        person = make_user(email=f"{name}@example.org")
        person.user_permissions.add(right)
        event.organisers.add(person)
        browser = Client()
        browser.force_login(person)
        codes[name] = [
            browser.post(
                url,
                {"title": "Slides", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")},
                **via_proxy(ALICE),
            ).status_code
            for _ in range(2 if name == "otto" else 3)
        ]
    assert codes["olga"][-1] == 429 and 429 not in codes["olga"][:2]
    assert 429 not in codes["otto"]  # same address, another person: another bucket


@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_a_bad_proxy_count_stops_start_up_with_a_message(value):
    result = manage("check", TRUSTED_PROXY_COUNT=value)
    assert result.returncode != 0
    assert f"TRUSTED_PROXY_COUNT must be a whole number, 0 or more (not '{value}')." in (
        result.stderr
    )
