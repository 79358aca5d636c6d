"""What the production stack relies on from every app server: a cheap health check, a clean 503
while the database is away, CSP on pages, rate limits that count the client behind the proxy,
and an admin login that goes through those rate limits."""

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_health_says_ok_when_the_database_answers(client):
    response = client.get("/health/")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"] and not response.cookies


def test_health_says_503_when_the_database_is_away(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("escape_events.core.views.connection.cursor", broken)
    response = client.get("/health/")
    assert response.status_code == 503


def test_health_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get("/").status_code == 301  # the rest of the site still is


def database_fails_with(monkeypatch, error):
    """Every query of this request raises `error`, as when PostgreSQL restarts."""
    from django.db import connection

    def cursor(*args, **kwargs):
        raise error

    monkeypatch.setattr(connection, "cursor", cursor)


def test_a_request_that_finds_the_database_away_gets_a_clean_503_page(client, monkeypatch):
    client.raise_request_exception = False
    database_fails_with(monkeypatch, OperationalError("server closed the connection"))
    response = client.get(reverse("site:home"))
    monkeypatch.undo()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "Back in a moment" in page and "Traceback" not in page and "OperationalError" not in page


def test_other_errors_still_get_the_500_page(client, monkeypatch):
    client.raise_request_exception = False
    database_fails_with(monkeypatch, ZeroDivisionError())
    response = client.get(reverse("site:home"))
    monkeypatch.undo()
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_pages_carry_a_content_security_policy_without_inline_script(client):
    policy = client.get(reverse("site:home"))["Content-Security-Policy"]
    directives = dict(item.strip().split(" ", 1) for item in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


def test_no_template_has_inline_script_style_or_event_handlers():
    """What CSP would block: keep scripts and styles in static files (a JSON data block is
    not run, so CSP lets it be). Mails and printouts (laid out by WeasyPrint, never served as a
    page) are not under the CSP."""
    import re
    from pathlib import Path

    from django.conf import settings

    inline = re.compile(
        r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:",
        re.I,
    )
    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if not {"mail", "printouts"} & set(path.parts) and inline.search(path.read_text())
    ]
    assert offenders == []


def test_the_admin_login_goes_through_the_rate_limited_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # Posting passwords at the admin's own form is no way around it.
    response = client.post("/admin/login/", {"username": "admin", "password": "guess"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def failed_login(client, *, forwarded_for, email):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": "wrong"},
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR="10.0.0.2",  # HAProxy: every request comes from it
    )


def limited(response):
    return response.status_code == 429 or "Too many" in response.content.decode()


def test_behind_the_proxy_failed_logins_count_per_client_not_for_everyone(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    for number in range(3):
        failed_login(client, forwarded_for="203.0.113.7", email=f"a{number}@example.org")
    assert limited(failed_login(client, forwarded_for="203.0.113.7", email="b@example.org"))
    # Someone else behind the same proxy is not locked out...
    assert not limited(failed_login(client, forwarded_for="198.51.100.9", email="c@example.org"))
    # ...and the attacker cannot escape by sending their own X-Forwarded-For: the proxy appends
    # the real address, which is the one counted.
    spoofed = "192.0.2.1, 203.0.113.7"
    assert limited(failed_login(client, forwarded_for=spoofed, email="d@example.org"))


def test_without_a_trusted_proxy_everyone_behind_it_shares_one_count(client, settings):
    """What the setting fixes (and what check --deploy warns about)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    for number in range(3):
        failed_login(client, forwarded_for="203.0.113.7", email=f"a{number}@example.org")
    assert limited(failed_login(client, forwarded_for="198.51.100.9", email="c@example.org"))
