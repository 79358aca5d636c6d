"""How an event takes registrations: the one way to write its settings.

The organiser pages, the admin, repeating an event and the seeds all store settings here, under
the event lock, so that a bigger room, a later closing time or a lifted restriction serves the
waiting list at once.
"""

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import Group
from django.db import transaction

from escape_events.events import locking
from escape_events.events.models import Event

from ..models import Registration, RegistrationSettings
from .promotion import promote_waiting_list

SETTING_FIELDS = frozenset(
    {
        "registration_required", "opens_at", "closes_at", "allow_onsite", "allow_remote",
        "onsite_capacity", "remote_capacity", "needs_approval", "cancellation_deadline",
        "modification_deadline",
        "public_participant_list", "retention_months",
    }
)  # fmt: skip


def save_registration_settings(
    *,
    event: Event,
    values: Mapping | None,
    groups: Iterable[Group] | None = None,
    now=None,
) -> tuple[RegistrationSettings | None, list[Registration]]:
    """Create or change the event's settings from model values (None: it takes no
    registrations); `groups` replaces the groups it is restricted to (None: keep them).

    Returns the stored settings and the people promoted from the waiting list. Raises
    ValidationError with the model's messages when the values do not fit together.
    """
    with transaction.atomic():
        locking.lock_events([event.pk])
        current = RegistrationSettings.objects.filter(event=event).first()
        if values is None:
            if current is not None and current.registration_required:
                current.registration_required = False
                current.save(update_fields=["registration_required"])
            return current, []
        unknown = set(values) - SETTING_FIELDS
        if unknown:
            raise ValueError(f"Not a registration setting: {', '.join(sorted(unknown))}")
        stored = current or RegistrationSettings(event=event)
        for name, value in values.items():
            setattr(stored, name, value)
        stored.full_clean()
        stored.save()
        if groups is not None:
            stored.restricted_to_groups.set(groups)
        promoted = [] if current is None else promote_waiting_list(event=event, now=now)
    return stored, promoted


def set_capacity(
    *, settings: RegistrationSettings, onsite_capacity: int | None, remote_capacity: int | None
) -> list[Registration]:
    """Change capacities; raising one promotes people from its waiting list at once."""
    _stored, promoted = save_registration_settings(
        event=settings.event,
        values={"onsite_capacity": onsite_capacity, "remote_capacity": remote_capacity},
    )
    settings.onsite_capacity, settings.remote_capacity = onsite_capacity, remote_capacity
    return promoted
