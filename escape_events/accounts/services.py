"""Writes on accounts: names and affiliation (from the person, an organiser or the identity
provider's claims), group claims, the privacy notice, deleting a person (every app lets go of
them through the account_deleting signal), making a site admin."""

import string
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from email.utils import parseaddr
from pathlib import Path

from allauth.account import app_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.utils import generate_unique_username
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from escape_events.core.text import render_plain_text

from .languages import site_language
from .models import ExternalGroup, PrivacyNotice, User
from .signals import account_deleting

# INDIGO IAM and WLCG tokens use wlcg.groups, Keycloak and CERN SSO groups, eduGAIN/AARC
# proxies eduperson_entitlement; some servers say entitlements.
GROUP_CLAIMS = ("groups", "wlcg.groups", "entitlements", "eduperson_entitlement")
MAX_GROUP_NAME = 150
# Where providers put the person's institute: INDIGO IAM says organisation_name, eduGAIN/AARC
# proxies schac_home_organization, CERN SSO home_institute, others affiliation or organisation.
AFFILIATION_CLAIMS = (
    "affiliation", "organisation_name", "organization_name", "organisation", "organization",
    "home_institute", "schac_home_organization", "o",
)  # fmt: skip


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
        group, _created = Group.objects.get_or_create(name=name)
        ExternalGroup.objects.get_or_create(group=group, defaults={"claim": claim})
        groups.append(group)
    stale = user.groups.filter(external__isnull=False).exclude(name__in=wanted)
    user.groups.remove(*stale)
    user.groups.add(*groups)
    return groups


def _claim_text(value, limit: int) -> str:
    """A claim as one line of text; lists (some providers send several) give their first item."""
    if isinstance(value, list | tuple):
        value = next((item for item in value if isinstance(item, str) and item.strip()), "")
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:limit]


def profile_from_claims(claims: Mapping) -> dict[str, str]:
    """First name, family name and affiliation as the provider states them ("" where silent).

    given_name/family_name win; a provider that sends only `name` has it split at the first
    space ("Ada King Lovelace" -> "Ada", "King Lovelace"), which the person can correct."""
    first = _claim_text(claims.get("given_name"), 150)
    last = _claim_text(claims.get("family_name"), 150)
    if not (first or last):
        first, _space, last = _claim_text(claims.get("name"), 301).partition(" ")
    affiliation = next(
        (text for claim in AFFILIATION_CLAIMS if (text := _claim_text(claims.get(claim), 200))),
        "",
    )
    return {"first_name": first[:150], "last_name": last[:150], "affiliation": affiliation}


def fill_profile_from_claims(*, user, claims: Mapping) -> list[str]:
    """Fill the person's empty name and affiliation fields from the claims; what they typed
    themselves is never overwritten. Returns the fields it filled."""
    stated = profile_from_claims(claims)
    filled = [name for name, value in stated.items() if value and not getattr(user, name).strip()]
    for name in filled:
        setattr(user, name, stated[name])
    if filled and user.pk:
        user.save(update_fields=filled)
    return filled


def update_profile(*, user, first_name: str, last_name: str, affiliation: str) -> None:
    """Store the names and affiliation a person gave (sign-up, first registration, account)."""
    user.first_name = " ".join(first_name.split())
    user.last_name = " ".join(last_name.split())
    user.affiliation = " ".join(affiliation.split())
    user.save(update_fields=["first_name", "last_name", "affiliation"])


def set_preferred_language(*, user, language: str) -> bool:
    """Store the language a person chose (the header's switcher, the account page); blank means
    the site's default. A code outside settings.LANGUAGES is ignored. True if it was stored."""
    chosen = site_language(language)
    if language and not chosen:
        return False
    if user.language != chosen:
        user.language = chosen
        user.save(update_fields=["language"])
    return True


def find_or_invite_person(
    *, email: str, first_name: str, last_name: str, affiliation: str = ""
) -> tuple["User", bool]:
    """The account with this address, or a new one made for an organiser who adds someone by
    hand: no password yet (the invitation mail's link sets one) and the address unverified
    until then. An existing account keeps its own names; only empty ones are filled.
    Returns (person, created)."""

    email = email.strip()
    known = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    person = known.user if known else User.objects.filter(email__iexact=email).first()
    given = {"first_name": first_name, "last_name": last_name, "affiliation": affiliation}
    if person is not None:
        empty = [name for name, value in given.items() if value and not getattr(person, name)]
        for name in empty:
            setattr(person, name, " ".join(given[name].split()))
        if empty:
            person.save(update_fields=empty)
        return person, False
    with transaction.atomic():
        person = User(
            email=email,
            username=generate_unique_username([first_name, last_name, email, "person"]),
            **{name: " ".join(value.split()) for name, value in given.items()},
        )
        person.set_unusable_password()
        person.save()
        EmailAddress.objects.create(user=person, email=email, primary=True, verified=False)
    return person, True


def invitation_url(person) -> str:
    """A link that lets an invited person choose a password (allauth's password reset key, so
    it expires and stops working once used)."""
    key = app_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(person)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(person), "key": key},
    )
    return settings.SITE_URL + path


def verify_sole_address(*, user) -> bool:
    """A password set through a link mailed to the person's only address proves the address:
    mark it verified (invited people would otherwise be asked to confirm it once more)."""

    addresses = list(EmailAddress.objects.filter(user=user))
    if len(addresses) != 1 or addresses[0].verified:
        return False
    addresses[0].verified = True
    addresses[0].save(update_fields=["verified"])
    return True


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
        raise ValidationError(_("The privacy notice cannot be empty."))
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
    raise ValidationError(_("The notice could not be published; try again."))


@dataclass(frozen=True)
class NoticeInForce:
    """The privacy notice in force as plain values, what the cache holds (never a model
    instance). A registration records it by `pk`."""

    pk: int
    version: int
    text: str
    changes: str
    published_at: datetime

    def get_absolute_url(self) -> str:
        return reverse("privacy:version", kwargs={"version": self.version})


PRIVACY_NOTICE_KEY = "privacy-notice-in-force"
# How long a worker without the shared cache (no REDIS_URL) may go on offering an older version.
PRIVACY_NOTICE_SECONDS = 60


def _notice_in_force() -> NoticeInForce | None:
    row = PrivacyNotice.objects.values(*(f.name for f in fields(NoticeInForce))).first()
    return NoticeInForce(**row) if row else None


def privacy_notice_in_force() -> NoticeInForce:
    """The latest version, kept in the cache: every registration form and POST asks for it, and
    it changes once in a while (`privacy_notice_changed` puts a new one there at once). A new
    site publishes the default notice from settings first."""
    notice = cache.get(PRIVACY_NOTICE_KEY)
    if notice is None:
        notice = _notice_in_force()
        if notice is None:
            publish_privacy_notice(text=default_privacy_notice_text())
            notice = _notice_in_force()
        # add, not set: a version published since this read went into the cache first.
        cache.add(PRIVACY_NOTICE_KEY, notice, PRIVACY_NOTICE_SECONDS)
    return notice


def privacy_notice_changed() -> None:
    """A notice was published, changed or deleted: forget the cached version now (the next
    read, in this transaction, sees the change) and put the one in force there on commit, over
    any older one a concurrent read added meanwhile."""
    cache.delete(PRIVACY_NOTICE_KEY)
    transaction.on_commit(
        lambda: cache.set(PRIVACY_NOTICE_KEY, _notice_in_force(), PRIVACY_NOTICE_SECONDS)
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
        raise PermissionDenied(_("Only the person themselves or a site administrator can do this."))
    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        email, by_self, language = user.email, by.pk == user.pk, user.preferred_language
        done = []
        for _receiver, lines in account_deleting.send(sender=User, user=user, by=by, now=now):
            done.extend(lines or [])
        user.delete()
        # Stored with the deletion (the outbox), so no crash after the commit loses it.
        _send_account_deleted_mail(email=email, done=done, by_self=by_self, language=language)
    return DeletedAccount(email=email, done=done)


def _send_account_deleted_mail(
    *, email: str, done: list[str], by_self: bool, language: str
) -> None:
    """In the language the person chose (the lines of `done` each app wrote are in the
    language active when the deletion ran)."""
    context = {"done": done, "by_self": by_self, "site_url": settings.SITE_URL}
    with translation.override(language):
        EmailMessage(
            subject=_("Your account is deleted"),
            body=render_plain_text("mail/accounts/account_deleted.txt", context),
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
        raise ValidationError(_("A new admin account needs a password."))
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
