"""Every OpenID Connect login refreshes the person's groups from the provider's claims and fills
the names and affiliation the person has left empty; every sign-in puts the person's language in
the language cookie; a privacy notice saved anywhere (the
service, the admin) replaces the cached one."""

from allauth.account.signals import password_reset, user_logged_in
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import PrivacyNotice
from .services import (
    claims_from_extra_data,
    fill_profile_from_claims,
    privacy_notice_changed,
    sync_groups_from_claims,
    verify_sole_address,
)


@receiver(user_logged_in, dispatch_uid="accounts_sync_groups_on_login")
def sync_groups_on_login(sender, *, request, user, sociallogin=None, **kwargs):
    """Only social (OpenID Connect) logins carry claims; password logins leave groups alone."""
    if sociallogin is None:
        return
    extra_data = sociallogin.account.extra_data or {}
    claims = claims_from_extra_data(extra_data)
    sync_groups_from_claims(user=user, claims=claims)
    fill_profile_from_claims(user=user, claims=claims)


@receiver(user_logged_in, dispatch_uid="accounts_language_cookie_on_login")
def keep_language_after_sign_in(sender, *, request, user, response=None, **kwargs):
    """A stored language goes in the language cookie too (as the switcher's choice does), so
    the pages stay in it after signing out."""
    if response is None or not user.language:
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@receiver(password_reset, dispatch_uid="accounts_verify_address_on_password_reset")
def verify_address_on_password_reset(sender, *, request, user, **kwargs):
    """The reset link went to the person's address: following it proves they read that mailbox
    (people an organiser added set their first password this way)."""
    verify_sole_address(user=user)


@receiver(post_save, sender=PrivacyNotice, dispatch_uid="accounts_privacy_notice_saved")
@receiver(post_delete, sender=PrivacyNotice, dispatch_uid="accounts_privacy_notice_deleted")
def forget_cached_privacy_notice(sender, **kwargs):
    privacy_notice_changed()
