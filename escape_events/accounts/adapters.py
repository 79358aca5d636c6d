"""allauth hooks: mails name the site's public address, and provider claims fill the profile.

allauth builds links from the request (or the Sites table, filled once at migrate time), so
behind a proxy or on another port its mails named an address nobody can open. Every `*_url` in
a mail's context and the site named in it follow SITE_URL instead, as calendar feeds do.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from escape_events.core.limits import client_address
from escape_events.core.redirects import local_path

from .languages import site_language
from .services import claims_from_extra_data, fill_profile_from_claims, profile_from_claims


@dataclass(frozen=True)
class PublicSite:
    """What allauth's mail templates read from `current_site`."""

    name: str
    domain: str


def public_site() -> PublicSite:
    return PublicSite(name="escape_events", domain=urlsplit(settings.SITE_URL).netloc)


def on_site_url(url: str) -> str:
    """The same path, query and fragment under SITE_URL's scheme and host."""
    parts = urlsplit(url)
    if not (parts.scheme and parts.netloc):
        return url
    site = urlsplit(settings.SITE_URL)
    path = site.path.rstrip("/") + parts.path
    return urlunsplit((site.scheme, site.netloc, path, parts.query, parts.fragment))


def mail_language(user) -> str:
    """An account mail is written in its recipient's language; a mail to an address without an
    account ("no account with this address") in the language of the page that sent it."""
    if user is not None and getattr(user, "pk", None):
        return user.preferred_language
    return translation.get_language() or settings.LANGUAGE_CODE


def browsing_in(request, user) -> None:
    """Store on a new account the site language its person was reading the pages in."""
    language = site_language(getattr(request, "LANGUAGE_CODE", None) or translation.get_language())
    if language and not user.language:
        user.language = language


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Our templates (templates/account/email/) greet `user` by first name when the mail
        has one, sign with `site_url` and point security notices at `password_reset_url`."""
        context = {
            "site_url": settings.SITE_URL,
            "password_reset_url": settings.SITE_URL + reverse("account_reset_password"),
            **{
                key: on_site_url(value)
                if key.endswith("_url") and isinstance(value, str)
                else value
                for key, value in context.items()
            },
            "current_site": public_site(),
        }
        with translation.override(mail_language(context.get("user"))):
            super().send_mail(template_prefix, email, context)

    def save_user(self, request, user, form, commit=True):
        """A new account keeps the language its person was browsing in."""
        browsing_in(request, user)
        return super().save_user(request, user, form, commit=commit)

    def get_client_ip(self, request) -> str:
        """The site's one client address (core.limits): a short X-Forwarded-For is not trusted
        and counts the connecting address, where allauth's own raised ImproperlyConfigured."""
        return client_address(request)

    def reauthenticate(self, user, password: str) -> bool:
        """Confirming the password of the person already signed in. allauth's own goes through
        sign-in, so a typo here counted against every sign-in from the address; the re-entry
        page keeps its own limit per person (allauth's `reauthenticate` rate)."""
        return user.is_active and user.check_password(password)

    def is_safe_url(self, url: str) -> bool:
        """A `next` after signing in follows the site's one rule: a path on this site."""
        return local_path(url) is not None

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """Security notices ("your password was changed") greet the person too."""
        context = {"user": user, **(context or {})}
        super().send_notification_mail(template_prefix, user, context, email)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A provider login fills names and affiliation from the claims (given_name, family_name or
    name, and the affiliation claims of `services.AFFILIATION_CLAIMS`)."""

    def save_user(self, request, sociallogin, form=None):
        browsing_in(request, sociallogin.user)
        return super().save_user(request, sociallogin, form)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        claims = claims_from_extra_data(sociallogin.account.extra_data or {})
        fill_profile_from_claims(user=user, claims=claims)
        return user

    def get_signup_form_initial_data(self, sociallogin) -> dict:
        claims = claims_from_extra_data(sociallogin.account.extra_data or {})
        return {
            **super().get_signup_form_initial_data(sociallogin),
            "affiliation": profile_from_claims(claims)["affiliation"],
        }
