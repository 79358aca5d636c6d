"""Writes on accounts: mirror the identity provider's group claims onto Django groups, make a
site admin."""

from collections.abc import Mapping

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import ExternalGroup

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


@transaction.atomic
def make_site_admin(*, email: str, password: str | None = None):
    """Staff and superuser rights for this address, with the e-mail confirmed so the site's
    login (e-mail and password) lets them in at once; an existing account is promoted and
    keeps its password unless one is given. Returns the user."""
    email = email.strip().lower()
    validate_email(email)
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        user = get_user_model()(email=email, username=_free_username(email))
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
    while get_user_model().objects.filter(username=name).exists():
        number += 1
        name = f"{base}{number}"
    return name
