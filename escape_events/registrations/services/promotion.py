"""Freed seats go to the waiting lists, first come first served."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from escape_events.events.models import Event

from .. import mails
from ..models import Registration
from .seats import Mode, Status, free_seats, lock_events, settings_for, waiting_list


def promote_waiting_list(
    *, event: Event, modes: Iterable[str] = (), now=None
) -> list[Registration]:
    """Fill free seats from the waiting lists, first come first served, each person once.

    Someone who held a place in the other mode while waiting moves over, which frees that place
    in turn, so the other mode's list is processed too.
    """
    now = now or timezone.now()
    promoted: list[Registration] = []
    with transaction.atomic():
        lock_events([event.pk])
        settings = settings_for(event)
        if settings is None:
            return promoted
        todo = [mode for mode in (modes or Mode.values) if settings.allows(mode)]
        while todo:
            mode = todo.pop(0)
            while True:
                free = free_seats(event=event, settings=settings, mode=mode)
                if free is not None and free <= 0:
                    break
                candidate = waiting_list(event=event, mode=mode).first()
                if candidate is None:
                    break
                if candidate.status == Status.WAITING:
                    candidate.status = (
                        Status.PENDING if settings.needs_approval else (Status.CONFIRMED)
                    )
                else:
                    freed = candidate.mode
                    if freed not in todo:
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
                promoted.append(candidate)
        for registration in promoted:
            mails.after_commit(registration, "promoted")
    return promoted
