"""Writes on accounts: group claims of the identity provider, the privacy notice, deleting a
person (every app lets go of them through the account_deleting signal), making a site admin."""

import string
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from .models import ExternalGroup, PrivacyNotice, User
from .signals import account_deleting

# INDIGO IAM and WLCG tokens use wlcg.groups, Keycloak and CERN SSO groups, eduGAIN/AARC
# proxies eduperson_entitlement; some servers say entitlements.
GROUP_CLAIMS = ("groups", "wlcg.groups", "entitlements", "eduperson_entitlement")
MAX_GROUP_NAME = 150


def claims_from_extra_data(extra_data: Mapping) -> dict:
    """allauth stores the ID token and the userinfo response; userinfo wins where both say."""
    if "userinfo" in extra_data or "id_token" in extra_data:
        return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}
    return dict(extra_data)


def group_names_from_claims(claims: Mapping) -> dict[str, str]:
    """Group name -> claim it came from. Accepts lists and space- or comma-separated strings."""
    names: dict[str, str] = {}
    for claim in GROUP_CLAIMS:
        value = claims.get(claim)
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        if not isinstance(value, list | tuple):
            continue
        for item in value:
            if isinstance(item, str) and item.strip() and len(item.strip()) <= MAX_GROUP_NAME:
                names.setdefault(item.strip(), claim)
    return names


@transaction.atomic
def sync_groups_from_claims(*, user, claims: Mapping) -> list[Group]:
    """Make the person a member of exactly the claimed external groups (others stay as they are)."""
    wanted = group_names_from_claims(claims)
    groups = []
    for name, claim in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        ExternalGroup.objects.get_or_create(group=group, defaults={"claim": claim})
        groups.append(group)
    stale = user.groups.filter(external__isnull=False).exclude(name__in=wanted)
    user.groups.remove(*stale)
    user.groups.add(*groups)
    return groups


def default_privacy_notice_text(path=None) -> str:
    """The notice file (PRIVACY_NOTICE_FILE unless given), with the site's figures filled in."""
    path = Path(path or settings.PRIVACY_NOTICE_FILE)
    template = string.Template(path.read_text(encoding="utf-8"))
    return template.safe_substitute(
        site_url=settings.SITE_URL,
        contact=privacy_contact(),
        retention_months=settings.REGISTRATION_RETENTION_MONTHS,
    )


def privacy_contact() -> str:
    return settings.PRIVACY_CONTACT_EMAIL or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def publish_privacy_notice(*, text: str, changes: str = "", now=None) -> PrivacyNotice:
    """Publish a new version of the notice; the same text again publishes nothing."""
    text = text.strip()
    if not text:
        raise ValidationError("The privacy notice cannot be empty.")
    current = PrivacyNotice.objects.first()
    if current is not None and current.text == text:
        return current
    now = now or timezone.now()
    for _attempt in range(3):
        latest = PrivacyNotice.objects.aggregate(latest=Max("version"))["latest"] or 0
        try:
            with transaction.atomic():
                return PrivacyNotice.objects.create(
                    version=latest + 1, text=text, changes=changes.strip(), published_at=now
                )
        except IntegrityError:
            continue  # someone published at the same moment: take the next number
    raise ValidationError("The notice could not be published; try again.")


def privacy_notice_in_force() -> PrivacyNotice:
    """The latest version; a new site publishes the default notice from settings first."""
    return PrivacyNotice.objects.first() or publish_privacy_notice(
        text=default_privacy_notice_text()
    )


@dataclass(frozen=True)
class DeletedAccount:
    email: str
    done: list[str]


def may_delete_account(*, user, by) -> bool:
    """Only the person themselves, or site staff allowed to delete users (the admin)."""
    if by.pk == user.pk:
        return True
    return by.is_active and by.is_staff and by.has_perm("accounts.delete_user")


def delete_account(*, user, by, now=None) -> DeletedAccount:
    """Delete a person: every app lets go of them first (places cancelled, the next in line
    promoted, answers and feed links removed, rows kept for the counts), then the account goes.

    The person's meeting attendance entries keep the name the minutes record (a published
    record), without the link to the account. A mail confirms the deletion to the address."""
    if not may_delete_account(user=user, by=by):
        raise PermissionDenied("Only the person themselves or a site administrator can do this.")
    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        email, by_self = user.email, by.pk == user.pk
        done = []
        for _receiver, lines in account_deleting.send(sender=User, user=user, by=by, now=now):
            done.extend(lines or [])
        user.delete()
        transaction.on_commit(
            lambda: send_account_deleted_mail.enqueue(email=email, done=done, by_self=by_self)
        )
    return DeletedAccount(email=email, done=done)


@task
def send_account_deleted_mail(*, email: str, done: list[str], by_self: bool) -> None:
    context = {"done": done, "by_self": by_self, "site_url": settings.SITE_URL}
    EmailMessage(
        subject="Your account is deleted",
        body=render_to_string("mail/accounts/account_deleted.txt", context),
        to=[email],
    ).send()


@transaction.atomic
def make_site_admin(*, email: str, password: str | None = None):
    """Staff and superuser rights for this address, with the e-mail confirmed so the site's
    login (e-mail and password) lets them in at once; an existing account is promoted and
    keeps its password unless one is given. Returns the user."""
    email = email.strip().lower()
    validate_email(email)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, username=_free_username(email))
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    elif user.pk is None or not user.has_usable_password():
        raise ValidationError("A new admin account needs a password.")
    user.is_staff = user.is_superuser = user.is_active = True
    user.save()
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _free_username(email: str) -> str:
    base = email.split("@")[0][:140] or "admin"
    name, number = base, 1
    while User.objects.filter(username=name).exists():
        number += 1
        name = f"{base}{number}"
    return name
