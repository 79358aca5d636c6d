"""The menu's question "organises anything, or may create events", asked of the same rules
as the organiser pages: the permission to add events, own or through a group, and what one runs."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from escape_events.organisers.permissions import _organises_or_may_create


@pytest.fixture
def nobody(db):
    return get_user_model().objects.create_user("nobody", "nobody@example.org", "a-long-password")


def _permission(codename: str, app_label: str = "events") -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_a_person_with_no_role_uses_no_organiser_side(nobody, make_event, wp2_series):
    make_event()
    nobody.user_permissions.add(_permission("change_event"))  # another right: not enough
    group = Group.objects.create(name="editors")
    group.permissions.add(_permission("add_event"))  # a group the person is not in
    assert _organises_or_may_create(nobody) is False


def test_an_event_organiser(nobody, make_event):
    make_event().organisers.add(nobody)
    assert _organises_or_may_create(nobody) is True


def test_a_series_organiser(nobody, wp2_series):
    wp2_series.organisers.add(nobody)
    assert _organises_or_may_create(nobody) is True


def test_the_right_to_create_events_held_directly(nobody):
    nobody.user_permissions.add(_permission("add_event"))
    assert _organises_or_may_create(nobody) is True


def test_the_right_to_create_events_held_through_a_group(nobody):
    group = Group.objects.create(name="creators")
    group.permissions.add(_permission("add_event"))
    nobody.groups.add(group)
    assert _organises_or_may_create(nobody) is True


def test_add_event_of_another_app_does_not_count(nobody):
    nobody.user_permissions.add(_permission("add_user", app_label="accounts"))
    assert _organises_or_may_create(nobody) is False
