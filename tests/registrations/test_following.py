"""Following a series, and the join link where people look for it."""

import pytest
from django.core import mail
from django.urls import reverse

from escape_events.registrations.models import Registration, SeriesFollower

pytestmark = pytest.mark.django_db


@pytest.fixture
def wp2(wp2_series):
    wp2_series.online_url = "https://meet.example.org/wp2"
    wp2_series.save()
    return wp2_series


def meeting_page(series):
    from escape_events.events.selectors import next_occurrences

    return next_occurrences(series, 1)[0].get_absolute_url()


def test_signed_in_people_see_the_meetings_link_and_visitors_are_asked_to_sign_in(
    client, wp2, make_user
):
    for url in (meeting_page(wp2), wp2.get_absolute_url()):
        anonymous = client.get(url).content.decode()
        assert "meet.example.org/wp2" not in anonymous
        assert "Sign in to see the link for remote participation" in anonymous
    client.force_login(make_user())
    for url in (meeting_page(wp2), wp2.get_absolute_url()):
        assert 'href="https://meet.example.org/wp2"' in client.get(url).content.decode()


def test_follow_and_unfollow_a_series(client, wp2, make_user):
    person = make_user()
    client.force_login(person)
    page = meeting_page(wp2)
    follow = reverse("site:follow_series", args=[wp2.slug])
    assert "Follow this series" in client.get(page).content.decode()

    response = client.post(follow, {"next": page})
    client.post(follow, {"next": page})  # a double click: still one row

    assert response.status_code == 302 and response["Location"] == page
    assert SeriesFollower.objects.filter(series=wp2, user=person).count() == 1
    assert "You follow this series" in client.get(page).content.decode()
    mine = client.get(reverse("site:mine")).content.decode()
    assert "Series you follow" in mine and wp2.title in mine

    client.post(reverse("site:unfollow_series", args=[wp2.slug]))
    assert not SeriesFollower.objects.exists()


def test_following_needs_a_signed_in_post_and_a_real_series(client, wp2, make_user):
    follow = reverse("site:follow_series", args=[wp2.slug])
    assert client.post(follow)["Location"].startswith(reverse("account_login"))
    client.force_login(make_user())
    assert client.get(follow).status_code == 405
    assert client.post(reverse("site:follow_series", args=["nope"])).status_code == 404
    evil = client.post(follow, {"next": "https://evil.example.org/"})
    assert evil["Location"] == wp2.get_absolute_url()


def test_my_registrations_gives_remote_attendees_the_link_not_a_door_ticket(
    client, make_user, make_registrable
):
    person = make_user()
    event = make_registrable(event_fields={"online_url": "https://meet.example.org/swan"})
    onsite_event = make_registrable(event_fields={"online_url": "https://meet.example.org/x"})
    Registration.objects.create(event=event, user=person, mode="remote", status="confirmed")
    Registration.objects.create(event=onsite_event, user=person, mode="onsite", status="confirmed")
    client.force_login(person)
    page = client.get(reverse("site:mine")).content.decode()
    remote_item = page[page.index(f'<h2><a href="{event.get_absolute_url()}"') :]
    remote_item = remote_item[: remote_item.index("</li>")]
    assert 'href="https://meet.example.org/swan"' in remote_item
    assert "QR" not in remote_item and "entrance" not in remote_item
    assert page.count("Show this QR code at the entrance") == 1  # the on-site one
    assert "meet.example.org/x" not in page  # on-site attendees are not sent online


def test_the_remote_confirmation_mail_has_the_link_and_no_qr_code(
    client, make_user, make_registrable, django_capture_on_commit_callbacks
):
    from escape_events.registrations.services import register

    event = make_registrable(
        event_fields={"online_url": "https://meet.example.org/swan"}, remote=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        register(event=event, user=make_user(), mode="remote")
    (message,) = mail.outbox
    assert "Join remotely: https://meet.example.org/swan" in message.body
    assert "QR" not in message.body and "entrance" not in message.body
    assert [name for name, *_ in message.attachments] == [f"{event.slug}.ics"]


def test_the_followed_series_are_in_the_persons_data_and_go_with_the_account(wp2, make_user):
    from escape_events.accounts.selectors import personal_data
    from escape_events.accounts.services import delete_account

    person = make_user()
    SeriesFollower.objects.create(series=wp2, user=person)
    (followed,) = personal_data(person)["followed_series"]
    assert followed["series"] == wp2.title and followed["address"].endswith(wp2.slug + "/")
    delete_account(user=person, by=person)
    assert not SeriesFollower.objects.exists()
