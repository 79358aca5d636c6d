"""The privacy notice in force is read from the shared cache (every registration asks for it),
as plain values, and a newly published version is what the very next page and registration
see."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from escape_events.accounts.models import PrivacyNotice
from escape_events.accounts.services import (
    PRIVACY_NOTICE_KEY,
    NoticeInForce,
    privacy_notice_in_force,
    publish_privacy_notice,
)

pytestmark = pytest.mark.django_db


def test_the_notice_in_force_is_read_once_then_from_the_cache(django_assert_num_queries):
    first = privacy_notice_in_force()
    with django_assert_num_queries(0):
        assert privacy_notice_in_force() == first


@pytest.mark.parametrize("shared", [False, True], ids=["local cache", "redis"])
def test_the_cache_holds_the_notice_as_plain_values_not_a_model_instance(request, shared):
    if shared:
        request.getfixturevalue("redis_cache")
    privacy_notice_in_force()
    cached = cache.get(PRIVACY_NOTICE_KEY)
    stored = PrivacyNotice.objects.get()
    assert type(cached) is NoticeInForce
    assert (cached.pk, cached.version, cached.text, cached.changes, cached.published_at) == (
        stored.pk,
        stored.version,
        stored.text,
        stored.changes,
        stored.published_at,
    )
    assert cached.get_absolute_url() == stored.get_absolute_url()


@pytest.mark.parametrize("shared", [False, True], ids=["local cache", "redis"])
def test_a_published_notice_is_in_force_at_once(
    request, django_capture_on_commit_callbacks, shared
):
    if shared:
        request.getfixturevalue("redis_cache")
    first = privacy_notice_in_force()
    with django_capture_on_commit_callbacks(execute=True):
        second = publish_privacy_notice(text="We keep less now.")
        assert privacy_notice_in_force().pk == second.pk  # in the publishing transaction already
    assert cache.get(PRIVACY_NOTICE_KEY).pk == second.pk  # and for every worker after the commit
    assert privacy_notice_in_force().version == first.version + 1


def test_an_older_version_read_during_publishing_does_not_replace_the_new_one(
    django_capture_on_commit_callbacks,
):
    """A worker read the old version just before the new one was committed: it may not put
    that one back into the cache over the new one."""
    first = privacy_notice_in_force()
    with django_capture_on_commit_callbacks(execute=True):
        second = publish_privacy_notice(text="We keep less now.")
    cache.add(PRIVACY_NOTICE_KEY, first)  # what privacy_notice_in_force does after its read
    assert privacy_notice_in_force().pk == second.pk


def test_the_admin_publishing_a_notice_replaces_the_cached_one(
    admin_client, django_capture_on_commit_callbacks
):
    privacy_notice_in_force()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:accounts_privacynotice_add"),
            {"text": "We keep less now.", "changes": "Less kept"},
        )
    assert privacy_notice_in_force().pk == PrivacyNotice.objects.get(version=2).pk
