"""Site-wide pieces: the favicon, and the admin branded as the site behind the site's login."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_names_an_icon_that_exists(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    assert client.post("/favicon.ico").status_code == 405


def test_admin_sign_in_is_the_sites_e_mail_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=/admin/"
    html = response.content.decode()
    assert 'name="login"' in html and 'type="email"' in html  # e-mail, not a username
    assert 'name="username"' not in html


def test_staff_sign_in_by_e_mail_reaches_the_admin_branded_as_the_site(client, django_user_model):
    staff = django_user_model.objects.create_user(
        username="root", email="root@example.org", password="a-long-test-password", is_staff=True
    )
    EmailAddress.objects.create(email=staff.email, user=staff, verified=True, primary=True)
    response = client.post(
        f"{reverse('account_login')}?next=/admin/",
        {"login": "root@example.org", "password": "a-long-test-password"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/admin/"
    html = response.content.decode()
    assert "escape_events administration" in html
    assert "Django administration" not in html
    assert "/static/css/admin.css" in html and "favicon.svg" in html


def test_a_signed_in_organiser_is_told_why_the_admin_is_closed(client, django_user_model):
    organiser = django_user_model.objects.create_user(username="o", email="o@example.org")
    client.force_login(organiser)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    text = response.content.decode()
    assert "The admin is for site staff" in text and "Organise" in text
