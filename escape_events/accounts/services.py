"""Writes on accounts: mirror the identity provider's group claims onto Django groups."""

from collections.abc import Mapping

from django.contrib.auth.models import Group
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
