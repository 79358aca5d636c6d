"""The privacy notice, Download my data and Delete my account (also from the Django admin).

The clock is frozen (time-machine) at 1 Oct 2030, 10:00 Zurich; the event is on 4 Nov 2030.
"""

import json
import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escape_events.accounts.models import ExternalGroup, PrivacyNotice
from escape_events.accounts.services import (
    delete_account,
    privacy_notice_in_force,
    publish_privacy_notice,
)
from escape_events.events.models import Event, MeetingAttendance
from escape_events.feeds.models import FeedToken
from escape_events.feeds.services import issue_feed_token
from escape_events.registrations import services
from escape_events.registrations.models import (
    Answer,
    Question,
    Registration,
    RegistrationSettings,
    StatusChange,
)

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
NOW = datetime(2030, 10, 1, 10, 0, tzinfo=ZURICH)
PASSWORD = "a-long-test-password"
Mode = Registration.Mode
Status = Registration.Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def make_person(db):
    counter = iter(range(1, 1000))

    def make(**fields):
        number = next(counter)
        email = fields.pop("email", f"person{number}@example.org")
        person = get_user_model().objects.create_user(
            username=f"person{number}",
            email=email,
            password=PASSWORD,
            first_name=fields.pop("first_name", f"First{number}"),
            last_name=fields.pop("last_name", f"Last{number}"),
            **fields,
        )
        EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
        return person

    return make


@pytest.fixture
def hands_on(frozen):
    """One on-site seat, a question, a cancellation deadline that has already passed."""
    start = datetime(2030, 11, 4, 14, 0, tzinfo=ZURICH)
    event = Event.objects.create(
        title="SWAN hands-on", slug="swan-hands-on", start=start, end=start + timedelta(hours=3)
    )
    RegistrationSettings.objects.create(
        event=event,
        opens_at=NOW - timedelta(days=10),
        onsite_capacity=1,
        remote_capacity=None,
        cancellation_deadline=NOW - timedelta(hours=1),
    )
    Question.objects.create(event=event, label="Experiment")
    return event


@pytest.fixture
def ada(make_person, hands_on):
    """Holds the only seat, answered the question, has a feed link, an IdP group and was at a
    past meeting (named in its attendance list)."""
    ada = make_person(email="ada@example.org", first_name="Ada", last_name="Lovelace")
    ada.affiliation = "CERN"
    ada.save()
    question = hands_on.questions.get()
    with time_machine.travel(NOW - timedelta(days=5), tick=False):
        services.register(
            event=hands_on,
            user=ada,
            mode=Mode.ONSITE,
            answers={question.pk: "CTAO"},
            privacy_notice_id=privacy_notice_in_force().pk,
        )
    group = Group.objects.create(name="/escape")
    ExternalGroup.objects.create(group=group, claim="wlcg.groups")
    ada.groups.add(group)
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        issue_feed_token(user=ada)
    past = Event.objects.create(
        title="WP2 meeting",
        slug="wp2-2019",
        start=NOW - timedelta(days=300),
        end=NOW - timedelta(days=300) + timedelta(hours=1),
    )
    MeetingAttendance.objects.create(event=past, name="Ada Lovelace", user=ada)
    return ada


@pytest.fixture
def waiting(make_person, hands_on, ada):
    first, second = make_person(), make_person()
    for offset, person in ((4, first), (3, second)):
        with time_machine.travel(NOW - timedelta(days=offset), tick=False):
            services.register(event=hands_on, user=person, mode=Mode.ONSITE)
    return first, second


def sign_in(client, person):
    """Sign in and confirm the password again, as allauth asks before a sensitive step."""
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content[:300]


def test_the_notice_is_linked_from_the_footer_and_the_sign_up_form(client):
    notice = privacy_notice_in_force()
    assert notice.version == 1 and "12 months after the event ends" in notice.text
    home = client.get("/").content.decode()
    assert f'href="{reverse("privacy:notice")}"' in home
    assert reverse("privacy:notice") in client.get(reverse("account_signup")).content.decode()
    page = client.get(reverse("privacy:notice")).content.decode()
    assert "Version 1" in page and "Minutes and attendance lists of meetings" in page


def test_publishing_makes_a_new_version_and_the_old_ones_stay_readable(client):
    first = privacy_notice_in_force()
    assert publish_privacy_notice(text=first.text).pk == first.pk  # same text: nothing new
    second = publish_privacy_notice(text="Shorter notice.", changes="Shorter")
    assert second.version == 2 and privacy_notice_in_force().pk == second.pk
    old_page = client.get(reverse("privacy:version", kwargs={"version": 1})).content.decode()
    assert "This is an earlier version" in old_page
    assert client.get(reverse("privacy:version", kwargs={"version": 99})).status_code == 404


def test_the_admin_publishes_a_new_version_and_never_edits_or_deletes_one(client, make_person):
    admin = make_person(is_staff=True, is_superuser=True)
    client.force_login(admin)
    first = privacy_notice_in_force()
    add = reverse("admin:accounts_privacynotice_add")
    assert first.text[:40] in client.get(add).content.decode()  # starts from the text in force
    client.post(add, {"text": "We keep less now.", "changes": "Less kept"})
    assert list(PrivacyNotice.objects.values_list("version", flat=True)) == [2, 1]
    change = reverse("admin:accounts_privacynotice_change", args=[first.pk])
    client.post(change, {"text": "Rewritten history", "changes": "x"})
    delete = reverse("admin:accounts_privacynotice_delete", args=[first.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert PrivacyNotice.objects.get(pk=first.pk).text == first.text


def test_download_my_data_lists_everything_held_about_the_person(client, ada, hands_on, frozen):
    SocialAccount.objects.create(
        user=ada, provider="oidc", uid="sub-123", extra_data={"wlcg.groups": ["/escape"]}
    )
    sign_in(client, ada)
    response = client.get(reverse("accounts:my_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="escape-events-my-data-2030-10-01.json"'
    )
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["profile"]["email"] == "ada@example.org"
    assert data["profile"]["affiliation"] == "CERN"
    assert data["groups_from_identity_provider"] == [{"group": "/escape", "claim": "wlcg.groups"}]
    assert data["identity_provider_accounts"][0]["claims_received"] == {"wlcg.groups": ["/escape"]}
    (registration,) = data["registrations"]
    assert registration["event"] == "SWAN hands-on"
    assert registration["status"] == "Confirmed" and registration["mode"] == "On-site"
    assert registration["answers"] == [{"question": "Experiment", "answer": "CTAO"}]
    assert registration["privacy_notice_accepted"] == 1
    assert [step["status"] for step in registration["status_history"]] == ["Confirmed"]
    assert (registration["changes"], registration["organisers_note"], registration["tags"]) == (
        [],
        "",
        [],
    )
    created = datetime.fromisoformat(data["calendar_feed_links"][0]["created_at"])
    assert created == NOW - timedelta(days=2)
    assert data["meeting_attendance_lists"][0]["name"] == "Ada Lovelace"


def test_the_export_takes_a_fixed_number_of_queries(
    client, ada, make_person, frozen, django_assert_num_queries
):
    from escape_events.accounts.selectors import personal_data

    with CaptureQueriesContext(connection) as one:
        personal_data(ada)
    # 2 of them: the API's tokens and writes; 1: followed series; 2: agenda roles; 2: the
    # changes made to registrations and their tags; 2: survey answers (the open surveys, then the
    # person's answers).
    assert len(one.captured_queries) <= 20
    for number in range(4):
        event = Event.objects.create(
            title=f"Extra {number}", slug=f"extra-{number}", start=NOW + timedelta(days=9),
            end=NOW + timedelta(days=9, hours=1),
        )  # fmt: skip
        RegistrationSettings.objects.create(event=event, opens_at=NOW - timedelta(days=1))
        services.register(event=event, user=ada, mode=Mode.REMOTE)
    with django_assert_num_queries(len(one.captured_queries)):
        personal_data(ada)


def test_download_and_delete_ask_who_you_are_first(client, ada):
    client.force_login(ada)  # signed in long ago, as far as allauth knows
    for url in (reverse("accounts:my_data"), reverse("accounts:delete")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_deleting_an_account_with_a_confirmed_seat_promotes_the_first_waiting_person_once(
    client, ada, waiting, hands_on, frozen, django_capture_on_commit_callbacks
):
    first, second = waiting
    token = issue_feed_token(user=ada)
    feed = reverse("feeds:personal", kwargs={"token": token})
    assert client.get(feed).status_code == 200
    sign_in(client, ada)
    before = json.loads(client.get(reverse("accounts:my_data")).content)
    assert before["registrations"][0]["answers"] and before["calendar_feed_links"]

    page = client.get(reverse("accounts:delete")).content.decode()
    assert "Your registration for SWAN hands-on (4 Nov 2030, Confirmed) is cancelled" in page
    assert "Your personal calendar feed link stops working." in page
    assert "Your name stays on 1 meeting attendance list" in page
    refused = client.post(reverse("accounts:delete"), {})
    assert refused.status_code == 400 and "Tick the box" in refused.content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("site:home")

    assert not get_user_model().objects.filter(email="ada@example.org").exists()
    seat = Registration.objects.get(event=hands_on, user__isnull=True)
    assert (seat.status, seat.cancelled_at) == (Status.CANCELLED, NOW)  # kept for the counts
    assert not Answer.objects.filter(registration=seat).exists()
    assert not StatusChange.objects.filter(registration=seat).exists()
    statuses = dict(
        Registration.objects.filter(user__in=[first, second]).values_list("user", "status")
    )
    assert statuses == {first.pk: Status.CONFIRMED, second.pk: Status.WAITING}
    promoted = [message for message in mail.outbox if "A place opened up" in message.subject]
    assert [message.to for message in promoted] == [[first.email]]
    to_ada = [message for message in mail.outbox if message.to == ["ada@example.org"]]
    assert [message.subject for message in to_ada] == ["Your account is deleted"]
    assert "Cancelled your registration for SWAN hands-on" in to_ada[0].body
    assert client.get(feed).status_code == 404
    assert not FeedToken.objects.exists()
    assert MeetingAttendance.objects.get().name == "Ada Lovelace"  # a published record
    assert MeetingAttendance.objects.get().user is None
    assert "_auth_user_id" not in client.session


def test_past_registrations_stay_as_counts_with_their_check_in(ada, hands_on, frozen, make_person):
    registration = Registration.objects.get(user=ada)
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=hands_on.start)
    with time_machine.travel(hands_on.end + timedelta(days=1), tick=False):
        delete_account(user=ada, by=ada)
    registration.refresh_from_db()
    assert registration.user is None
    assert (registration.status, registration.checked_in_at) == (Status.CONFIRMED, hands_on.start)


def test_an_organiser_cannot_delete_another_persons_account(ada, hands_on, make_person):
    organiser = make_person()
    hands_on.organisers.add(organiser)
    staff_without_the_right = make_person(is_staff=True)
    for someone in (organiser, staff_without_the_right):
        with pytest.raises(PermissionDenied):
            delete_account(user=ada, by=someone)
    assert Registration.objects.get(event=hands_on).user == ada


def test_an_admin_may_delete_through_the_same_service(ada, waiting, make_person):
    admin = make_person(is_staff=True)
    admin.user_permissions.add(Permission.objects.get(codename="delete_user"))
    admin = get_user_model().objects.get(pk=admin.pk)
    deleted = delete_account(user=ada, by=admin)
    assert deleted.email == "ada@example.org"
    assert Registration.objects.get(user=waiting[0]).status == Status.CONFIRMED


def test_deleting_a_user_in_the_django_admin_promotes_the_next_in_line(
    client, ada, waiting, make_person, django_capture_on_commit_callbacks
):
    """Issue 11, item 7: the admin's delete used to free the seat and promote nobody."""
    admin = make_person(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:accounts_user_delete", args=[ada.pk])
    confirm = client.get(url).content.decode()
    assert "the next person waiting moves up" in confirm
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=ada.pk).exists()
    assert Registration.objects.get(user=waiting[0]).status == Status.CONFIRMED
    promoted = [message for message in mail.outbox if "A place opened up" in message.subject]
    assert [message.to for message in promoted] == [[waiting[0].email]]


def test_the_admin_bulk_delete_action_goes_through_the_service(client, ada, waiting, make_person):
    admin = make_person(is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:accounts_user_changelist")
    client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [ada.pk], "post": "yes"},
    )
    assert not get_user_model().objects.filter(pk=ada.pk).exists()
    assert Registration.objects.get(user=waiting[0]).status == Status.CONFIRMED


def test_a_bare_delete_of_someone_with_registrations_is_refused(ada, waiting):
    with pytest.raises(ProtectedError):
        get_user_model().objects.get(pk=ada.pk).delete()
    assert Registration.objects.get(user=waiting[0]).status == Status.WAITING


def test_the_command_publishes_the_file_once(tmp_path, settings):
    from io import StringIO

    from django.core.management import call_command

    privacy_notice_in_force()
    notice = tmp_path / "notice.md"
    notice.write_text("Our notice, kept $retention_months months.", encoding="utf-8")
    out = StringIO()
    call_command("publish_privacy_notice", "--file", str(notice), "--changes", "Short", stdout=out)
    call_command("publish_privacy_notice", "--file", str(notice), stdout=out)
    assert privacy_notice_in_force().text == "Our notice, kept 12 months."
    assert out.getvalue().count("version 2") == 2
