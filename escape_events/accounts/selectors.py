"""Reads about people that higher apps need (registrations asks whether an address is verified)."""

from allauth.account.models import EmailAddress


def has_verified_email(user) -> bool:
    """Whether the person confirmed an e-mail address (allauth's mandatory verification)."""
    return EmailAddress.objects.filter(user=user, verified=True).exists()
