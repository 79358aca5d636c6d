"""The menu's "Organise" link is asked once per person and then kept in the cache; whoever
becomes or stops being an organiser sees the change on their very next page."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from escape_events.organisers.services import add_co_organiser, remove_co_organiser

ORGANISE = b"Organise</a>"


@pytest.fixture(params=["local cache", "redis"])
def shared_cache(request):
    if request.param == "redis":
        request.getfixturevalue("redis_cache")


@pytest.fixture
def page(client, django_capture_on_commit_callbacks):
    """The home page as the signed-in person sees it, with what is run on commit run."""

    def load() -> bytes:
        with django_capture_on_commit_callbacks(execute=True):
            return client.get("/").content

    return load


def _menu_checks(load) -> int:
    with CaptureQueriesContext(connection) as captured:
        load()
    return sum("events_event_organisers" in query["sql"] for query in captured.captured_queries)


def test_the_menu_check_is_asked_once_then_kept(client, make_person, page):
    client.force_login(make_person())
    assert _menu_checks(page) == 1
    assert _menu_checks(page) == 0


def test_a_new_co_organiser_sees_the_menu_on_the_next_page(
    shared_cache,
    client,
    make_person,
    hands_on,
    wp2_series,
    page,
    django_capture_on_commit_callbacks,
):
    newcomer = make_person()
    client.force_login(newcomer)
    assert ORGANISE not in page()  # the answer "no" is now cached
    with django_capture_on_commit_callbacks(execute=True):
        add_co_organiser(of=hands_on, user=newcomer)
    assert ORGANISE in page()
    with django_capture_on_commit_callbacks(execute=True):
        remove_co_organiser(of=hands_on, user=newcomer)
    assert ORGANISE not in page()
    with django_capture_on_commit_callbacks(execute=True):
        add_co_organiser(of=wp2_series, user=newcomer)
    assert ORGANISE in page()
    with django_capture_on_commit_callbacks(execute=True):
        wp2_series.organisers.clear()
    assert ORGANISE not in page()


def test_the_right_to_create_events_shows_the_menu_at_once(
    shared_cache, client, make_person, page, django_capture_on_commit_callbacks
):
    add_event = Permission.objects.get(content_type__app_label="events", codename="add_event")
    creators = Group.objects.create(name="Event creators")
    member, person = make_person(), make_person()
    member.groups.add(creators)
    client.force_login(member)
    assert ORGANISE not in page()
    with django_capture_on_commit_callbacks(execute=True):
        creators.permissions.add(add_event)  # the group gains the right
    assert ORGANISE in page()
    with django_capture_on_commit_callbacks(execute=True):
        add_event.group_set.clear()  # and loses it, from the permission's side
    assert ORGANISE not in page()
    client.force_login(person)
    assert ORGANISE not in page()
    with django_capture_on_commit_callbacks(execute=True):
        person.user_permissions.add(add_event)  # the person's own right
    assert ORGANISE in page()
    with django_capture_on_commit_callbacks(execute=True):
        person.user_permissions.remove(add_event)
        creators.permissions.add(add_event)
        creators.user_set.add(person)  # joins the group, from the group's side
    assert ORGANISE in page()
