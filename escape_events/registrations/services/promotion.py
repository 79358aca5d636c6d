"""Freed seats go to the waiting lists, first come first served."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from escape_events.events import locking
from escape_events.events.models import Event

from .. import mails
from ..models import Registration
from ..rules import place_refusal
from .seats import (
    Mode,
    Status,
    line_of,
    read_availability,
    settings_for,
    waiting_lines,
)


def promote_waiting_list(
    *, event: Event, modes: Iterable[str] = (), now=None
) -> list[Registration]:
    """Fill free seats from the waiting lists, first come first served, each person once.

    Someone who held a place in the other mode while waiting moves over, which frees that place
    in turn, so the other mode's list is processed too. Nobody moves up at a cancelled or
    finished event or while registration is closed, and only members of the groups the event
    is restricted to (others keep their place in line for the organisers to decide).
    """
    now = now or timezone.now()
    promoted: list[Registration] = []
    with transaction.atomic():
        locking.lock_events([event.pk])
        event = Event.objects.get(pk=event.pk)  # its status as it is under the lock
        settings = settings_for(event)
        if place_refusal(event=event, settings=settings, now=now):
            return promoted
        availability = read_availability(settings)
        free = {item.mode: item.free for item in availability.offered}
        if not any(
            availability[mode].waiting and (seats is None or seats > 0)
            for mode, seats in free.items()
        ):
            return promoted  # nobody in line for a free seat: no need to read the lines
        line = waiting_lines(event)
        eligible = _members(settings, line)
        todo = [mode for mode in (modes or Mode.values) if mode in free]
        while todo:
            mode = todo.pop(0)
            for candidate in [item for item in line if line_of(item) == mode]:
                if free[mode] is not None and free[mode] <= 0:
                    break
                if eligible is not None and candidate.user_id not in eligible:
                    continue
                line.remove(candidate)
                if candidate.status == Status.WAITING:
                    candidate.status = (
                        Status.PENDING if settings.needs_approval else Status.CONFIRMED
                    )
                else:
                    freed = candidate.mode
                    if free.get(freed) is not None:
                        free[freed] += 1
                    if freed in free and freed not in todo:
                        todo.append(freed)
                candidate.mode = mode
                candidate.waiting_for_mode = ""
                candidate.waiting_since = None
                candidate.status_changed_at = now
                candidate.save(
                    update_fields=[
                        "status", "mode", "waiting_for_mode", "waiting_since", "status_changed_at"
                    ]
                )  # fmt: skip
                if free[mode] is not None:
                    free[mode] -= 1
                promoted.append(candidate)
        for registration in promoted:
            mails.send(registration, "promoted")
    return promoted


def _members(settings, line: list[Registration]) -> set[int] | None:
    """Who in line belongs to a group the event is restricted to (None: no restriction)."""
    groups = list(settings.restricted_to_groups.values_list("pk", flat=True))
    if not groups:
        return None
    memberships = get_user_model().groups.through.objects.filter(
        group_id__in=groups, user_id__in={item.user_id for item in line}
    )
    return set(memberships.values_list("user_id", flat=True))
