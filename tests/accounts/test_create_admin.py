"""`make admin` (manage.py create_admin): an admin who signs in by e-mail straight away."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-admin-password"


def test_a_new_admin_signs_in_by_e_mail_and_reaches_the_admin(client, monkeypatch, capsys):
    monkeypatch.setenv("ADMIN_PASSWORD", PASSWORD)
    call_command("create_admin", "--email", "Root@Example.org")
    assert "is a site admin" in capsys.readouterr().out
    response = client.post(
        reverse("account_login"), {"login": "root@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302  # no "confirm your e-mail" detour
    assert client.get("/admin/").status_code == 200


def test_an_existing_account_is_promoted_and_keeps_its_password(
    client, django_user_model, monkeypatch
):
    user = django_user_model.objects.create_user(
        username="demo", email="organiser@example.org", password="its-own-password"
    )
    answers = iter(["", ""])  # two empty passwords: keep the account's own
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_admin", "--email", "organiser@example.org")
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser and user.check_password("its-own-password")
    assert django_user_model.objects.count() == 1


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-address", PASSWORD, "valid email"),
        ("new@example.org", "short", "too short"),
        ("new@example.org", "", "needs a password"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(
    django_user_model, monkeypatch, email, password, message
):
    answers = iter([password, password])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match=message):
        call_command("create_admin", "--email", email)
    assert not django_user_model.objects.exists()


def test_differing_passwords_change_nothing(django_user_model, monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("create_admin", "--email", "new@example.org")
    assert not django_user_model.objects.exists()
