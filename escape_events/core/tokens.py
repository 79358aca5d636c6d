"""Secrets handed to people (feed links, API tokens) are stored only as their digest."""

import hashlib


def hash_token(token: str) -> str:
    """A database leak must not reveal anyone's feed URL or API token."""
    return hashlib.sha256(token.encode()).hexdigest()
