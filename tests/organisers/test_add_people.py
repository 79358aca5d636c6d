"""Organisers add people by hand or import a CSV list: preview, then the registration services."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from escape_events.registrations.models import Answer, Question, Registration

User = get_user_model()


@pytest.fixture
def signed_in(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the mails queued after commit, as a real request would."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run


def add_one(client, event, **data):
    values = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "affiliation": "CERN",
        "mode": "onsite",
        **data,
    }
    return client.post(reverse("organisers:add_participant", args=[event.slug]), values)


def test_adding_a_new_person_makes_an_account_and_invites_them(
    signed_in, hands_on, on_commit, client
):
    response = on_commit(lambda: add_one(signed_in, hands_on))

    assert response.status_code == 302
    person = User.objects.get(email="ada@example.org")
    assert (person.display_name, person.affiliation) == ("Ada Lovelace", "CERN")
    assert not person.has_usable_password()
    registration = Registration.objects.get(user=person, event=hands_on)
    assert (registration.status, registration.mode) == ("confirmed", "onsite")
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert "Olga Organiser, one of the organisers, registered you for SWAN hands-on" in message.body
    link = re.search(r"(https?://\S+/accounts/password/reset/key/\S+)", message.body).group(1)

    # The invited person follows the link, chooses a password, and may sign in at once:
    # the link proved the address.
    client.logout()
    form_page = client.get(link.split("127.0.0.1:8000")[-1], follow=True)
    target = form_page.redirect_chain[-1][0]
    password = "a-fresh-password-for-ada"
    client.post(target, {"password1": password, "password2": password})
    assert EmailAddress.objects.get(user=person).verified
    login = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": password}
    )
    assert login.status_code == 302 and "confirm-email" not in login["Location"]


def test_adding_someone_with_an_account_registers_them_without_touching_their_name(
    signed_in, hands_on, make_person, on_commit
):
    known = make_person(first_name="Grace", last_name="Hopper", email="grace@example.org")
    on_commit(lambda: add_one(signed_in, hands_on, email="Grace@Example.org", first_name="G."))
    known.refresh_from_db()
    assert known.first_name == "Grace" and User.objects.count() == 2  # no second account
    assert Registration.objects.filter(user=known, event=hands_on).exists()
    (message,) = mail.outbox
    assert "password/reset/key" not in message.body  # they have a password already


def test_a_full_room_puts_the_added_person_on_the_waiting_list(
    signed_in, hands_on, register, on_commit
):
    register(hands_on)
    register(hands_on)  # both on-site seats taken
    on_commit(lambda: add_one(signed_in, hands_on))
    assert Registration.objects.get(user__email="ada@example.org").status == "waiting"


def test_adding_is_refused_with_the_reason_and_stores_nothing(signed_in, hands_on):
    hands_on.registration_settings.allow_remote = False
    hands_on.registration_settings.save()
    response = add_one(signed_in, hands_on, mode="remote", email="not-an-address")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert not User.objects.filter(first_name="Ada").exists()
    assert not Registration.objects.exists() and not mail.outbox


CSV = (
    "ID,Name,Email,Affiliation,Mode\n"
    '1,"Lovelace, Ada",ada@example.org,CERN,In person\n'
    "2,Grace Hopper,grace@example.org,US Navy,online\n"
    "3,Alan Turing,alan@example.org,NPL,\n"
    "4,No Address,,Somewhere,remote\n"
    "5,Bad Mode,bad@example.org,,by carrier pigeon\n"
    "6,Ada Again,ADA@example.org,,remote\n"
    "7,Only,only@example.org,,remote\n"
    "8,Known Person,known@example.org,,remote\n"
)


def upload(client, event, content, *, name="indico.csv", default_mode="remote"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("organisers:import_preview", args=[event.slug]),
        {"file": SimpleUploadedFile(name, data, "text/csv"), "default_mode": default_mode},
    )


def test_import_preview_says_what_each_row_would_do_and_stores_nothing(
    signed_in, hands_on, make_person, register
):
    known = make_person(first_name="Known", last_name="Person", email="known@example.org")
    register(hands_on, mode="remote", person=known)
    users_before = User.objects.count()

    response = upload(signed_in, hands_on, CSV)

    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    rows = {
        int(line): text for line, text in re.findall(r'<td class="num">(\d+)</td>(.*?)</tr>', page)
    }
    assert "Ada Lovelace" in rows[2] and "new account" in rows[2] and "→ confirmed" in rows[2]
    assert "Grace Hopper" in rows[3] and "Remote" in rows[3]
    assert "Remote" in rows[4]  # no mode given: the default
    assert "no e-mail address" in rows[5]
    assert "mode “by carrier pigeon” unknown (on-site or remote)" in rows[6]
    assert "the same address as line 2" in rows[7]
    assert "first and family name needed" in rows[8]
    assert "already registered (confirmed)" in rows[9]
    assert "Import 3 people" in page
    assert User.objects.count() == users_before and Registration.objects.count() == 1
    assert not mail.outbox


def test_confirming_the_import_registers_through_the_services(
    signed_in, hands_on, on_commit, make_person
):
    make_person(first_name="Known", last_name="Person", email="known@example.org")
    preview = upload(signed_in, hands_on, CSV).content.decode()
    token = re.search(r'name="rows" value="([^"]+)"', preview).group(1)

    response = on_commit(
        lambda: signed_in.post(
            reverse("organisers:import_confirm", args=[hands_on.slug]), {"rows": token}
        )
    )

    assert response.status_code == 302
    registered = {
        r.user.email: (r.mode, r.status) for r in Registration.objects.select_related("user")
    }
    assert registered == {
        "ada@example.org": ("onsite", "confirmed"),
        "grace@example.org": ("remote", "confirmed"),
        "alan@example.org": ("remote", "confirmed"),
        "known@example.org": ("remote", "confirmed"),  # matched to the existing account
    }
    assert User.objects.get(email="ada@example.org").display_name == "Ada Lovelace"
    assert len(mail.outbox) == 4
    shown = [str(m) for m in signed_in.get(response["Location"]).context["messages"]]
    assert any("Import done: 4 confirmed, 3 invited" in text for text in shown)
    # Confirming the same preview again adds nobody twice.
    signed_in.post(reverse("organisers:import_confirm", args=[hands_on.slug]), {"rows": token})
    assert Registration.objects.count() == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"   \n\n", "The file is empty."),
        (b"PK\x03\x04\x00\x00binary", "not a CSV text file"),
        ("Nom;Courriel\nAda;ada@example.org\n", "an e-mail column"),
        ("Email,Name\n", "lists nobody"),
        (b"\xff\xfe\x00", "not a CSV text file"),
        ("Email,Name\n" + "x@example.org,X Y\n" * 2001, "more than 2000 people"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(signed_in, hands_on, content, message):
    response = upload(signed_in, hands_on, content)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Registration.objects.exists()


def test_semicolons_and_windows_1252_from_excel_are_read(signed_in, hands_on):
    content = "First name;Last name;E-mail;Institution\nZoë;Ångström;zoe@example.org;Uppsala\n"
    response = upload(signed_in, hands_on, content.encode("cp1252"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Zoë Ångström" in page and "Windows-1252" in page and "Uppsala" in page


def test_a_forged_or_foreign_import_token_is_refused(signed_in, hands_on, make_event, organiser):
    preview = upload(signed_in, hands_on, CSV).content.decode()
    token = re.search(r'name="rows" value="([^"]+)"', preview).group(1)
    other = make_event(title="Another of Olga's")
    other.organisers.add(organiser)
    for event, value in ((hands_on, token[:-3] + "abc"), (other, token)):
        response = signed_in.post(
            reverse("organisers:import_confirm", args=[event.slug]), {"rows": value}, follow=True
        )
        assert "upload the file again" in response.content.decode()
    assert not Registration.objects.exists()


def test_an_event_without_registration_cannot_take_people(signed_in, organiser, make_event):
    event = make_event()
    event.organisers.add(organiser)
    page = signed_in.get(reverse("organisers:add_people", args=[event.slug])).content.decode()
    assert "does not take registrations" in page
    response = add_one(signed_in, event)
    assert response.status_code == 400 and not Registration.objects.exists()


def test_columns_named_as_questions_import_their_answers_checked_as_the_form_checks_them(
    signed_in, hands_on, on_commit
):
    Question.objects.create(event=hands_on, label="Country", kind=Question.Kind.COUNTRY, position=2)
    Question.objects.create(
        event=hands_on, label="Nights", kind=Question.Kind.NUMBER, max_value=5, position=3,
        required=True,
    )  # fmt: skip
    content = (
        "Email,Name,Experiment,Country,Nights\n"
        "ada@example.org,Ada Lovelace,CTAO,ch,2\n"
        "grace@example.org,Grace Hopper,,XX,\n"
        "alan@example.org,Alan Turing,,,\n"  # nothing is required of imported people
    )
    preview = upload(signed_in, hands_on, content)
    page = " ".join(preview.content.decode().split())
    assert "“Country”: Choose a country from the list." in page
    token = re.search(r'name="rows" value="([^"]+)"', page).group(1)
    on_commit(
        lambda: signed_in.post(
            reverse("organisers:import_confirm", args=[hands_on.slug]), {"rows": token}
        )
    )
    stored = {
        (answer.registration.user.email, answer.question.label): answer.value
        for answer in Answer.objects.select_related("registration__user", "question")
    }
    assert stored == {
        ("ada@example.org", "Experiment"): "CTAO",
        ("ada@example.org", "Country"): "CH",
        ("ada@example.org", "Nights"): "2",
    }
    assert set(Registration.objects.values_list("user__email", flat=True)) == {
        "ada@example.org",
        "alan@example.org",
    }


def test_an_import_is_told_to_the_organisers_once_not_person_by_person(
    signed_in, hands_on, on_commit, organiser
):
    from escape_events.organisers.models import OrganiserNotice
    from escape_events.organisers.notifications import save_notification_settings

    save_notification_settings(
        event=hands_on,
        values={
            "all_organisers": True,
            "extra_addresses": [],
            "happenings": ["registered", "imported"],
            "frequency": "immediately",
        },
    )
    preview = upload(signed_in, hands_on, CSV).content.decode()
    token = re.search(r'name="rows" value="([^"]+)"', preview).group(1)
    on_commit(
        lambda: signed_in.post(
            reverse("organisers:import_confirm", args=[hands_on.slug]), {"rows": token}
        )
    )
    (notice,) = OrganiserNotice.objects.all()
    assert notice.happening == "imported" and notice.recipient == organiser.email
    assert notice.text == "Olga Organiser imported a list of participants: 4 confirmed, 4 invited."
    told = [m for m in mail.outbox if m.to == [organiser.email]]
    assert [m.subject for m in told] == [
        f"An import of participants is done: {hands_on.display_title}"
    ]
