"""Every `next` goes through one rule: a path on this site, else the caller's page.

The probe of issue 22 got a 500 after the action was saved from `next=-1` (`redirect()` took it
for a URL name). Each form and login here is driven with the same corpus of bad values.
"""

import pytest
from django.urls import reverse

from escape_events.core.redirects import local_path
from escape_events.registrations.models import Registration
from escape_events.registrations.services import register

BAD = [
    "-1",
    "break",
    "15",
    "2027-03-10",
    "//evil.example",
    "https://evil.example",
    "http://testserver.evil.example/",
    "javascript:alert(1)",
    "\\\\evil.example",
    "/\\evil",
    "/\\/evil.example",
    " //evil.example",
    "\t//evil.example",
    "/a\nb",
    "",
    "/" + "a" * 5000,
    "événement",
    "mailto:a@evil.example",
    "data:text/html,<script>alert(1)</script>",
]
GOOD = ["/", "/events/", "/series/escape-wp2/?tab=1#next", "/événement/"]


def assert_local(response, fallback: str) -> None:
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert location == fallback


@pytest.mark.parametrize("target", BAD)
def test_a_bad_next_is_no_path(target):
    assert local_path(target) is None


@pytest.mark.parametrize("target", GOOD)
def test_a_path_on_this_site_is_kept(target):
    assert local_path(target) == target


@pytest.fixture
def wp2(wp2_series):
    return wp2_series


@pytest.mark.parametrize("target", BAD)
def test_follow_and_unfollow_with_a_bad_next_go_back_to_the_series(client, person, wp2, target):
    for name in ("site:follow_series", "site:unfollow_series"):
        response = client.post(reverse(name, args=[wp2.slug]), {"next": target})
        assert_local(response, wp2.get_absolute_url())
    assert not wp2.followers.filter(pk=person.pk).exists()  # followed, then unfollowed


@pytest.mark.parametrize("target", BAD)
def test_switch_and_cancel_with_a_bad_next_go_to_my_registrations(
    client, person, make_registrable, target
):
    event = make_registrable(onsite=5, remote=5)
    registration, _ = register(event=event, user=person, mode=Registration.Mode.ONSITE)
    switch = client.post(
        reverse("site:switch", args=[registration.pk]), {"mode": "remote", "next": target}
    )
    assert_local(switch, reverse("site:mine"))
    cancel = client.post(reverse("site:cancel", args=[registration.pk]), {"next": target})
    assert_local(cancel, reverse("site:mine"))
    registration.refresh_from_db()
    assert (registration.mode, registration.status) == ("remote", Registration.Status.CANCELLED)


def test_a_good_next_is_followed(client, person, wp2):
    response = client.post(reverse("site:follow_series", args=[wp2.slug]), {"next": "/events/"})
    assert_local(response, "/events/")


@pytest.mark.parametrize("target", BAD)
def test_signing_in_with_a_bad_next_lands_on_the_default_page(client, make_user, target, settings):
    user = make_user()
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": "a-long-test-password", "next": target},
    )
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/") and "evil" not in location
    assert location == (local_path(target) or settings.LOGIN_REDIRECT_URL)


@pytest.mark.parametrize("target", BAD)
def test_the_admin_login_passes_on_only_a_local_next(client, target):
    response = client.get(reverse("admin:login"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/"
