"""Fixtures of the registrations tests."""

import pytest


@pytest.fixture
def outbox(settings):
    """MAILERS as in production: every mail goes into the outbox, written by the worker."""
    settings.MAILERS = {
        "default": {"BACKEND": "escape_events.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
