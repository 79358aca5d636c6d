"""Reads about people: whether an address is verified (registrations asks), the privacy notice,
and everything the site holds about one person (their data export)."""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import PrivacyNotice, User
from .signals import account_deletion_preview, personal_data_requested


def verified_addresses() -> QuerySet[EmailAddress]:
    """The e-mail addresses people confirmed (allauth's mandatory verification); registrations
    asks whether a person has one along with its other questions about them."""
    return EmailAddress.objects.filter(verified=True)


def privacy_notice_versions() -> list[PrivacyNotice]:
    return list(PrivacyNotice.objects.only("version", "published_at", "changes"))


def personal_data(user, now=None) -> dict:
    """What the site holds about the person, as one JSON-ready dict: the account here, and each
    higher app's part (registrations, calendar feed links, …) through personal_data_requested."""
    now = now or timezone.now()
    groups = user.groups.select_related("external").order_by("name")
    data = {
        "exported_at": now.isoformat(),
        "site": settings.SITE_URL,
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "affiliation": user.affiliation,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "staff": user.is_staff,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "groups_from_identity_provider": [
            {"group": group.name, "claim": group.external.claim}
            for group in groups
            if hasattr(group, "external")
        ],
        "groups_given_here": [group.name for group in groups if not hasattr(group, "external")],
        "identity_provider_accounts": [
            {
                "provider": account.provider,
                "subject": account.uid,
                "first_sign_in": account.date_joined.isoformat(),
                "last_sign_in": account.last_login.isoformat(),
                "claims_received": account.extra_data,
            }
            for account in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
    }
    for _receiver, sections in personal_data_requested.send(sender=User, user=user):
        data.update(sections or {})
    return data


def deletion_preview(user, now=None) -> list[str]:
    """What deleting the account would do, in each app's words (account_deletion_preview)."""
    now = now or timezone.now()
    lines = []
    for _receiver, said in account_deletion_preview.send(sender=User, user=user, now=now):
        lines.extend(said or [])
    return lines
