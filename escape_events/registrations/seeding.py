"""Registration settings and questions for seeded events (the `registration` blocks of the seeds).

Idempotent: settings are created once (their opening time is relative to the first load, then
kept) and written through the registrations service, like the organiser pages and the admin;
questions are matched by their label, and those listed as retired are removed.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from escape_events.events.models import Event
from escape_events.events.seeding import SEED_FILE

from .models import Question, RegistrationSettings
from .services import save_registration_settings

SETTING_FIELDS = (
    "registration_required", "allow_onsite", "allow_remote", "onsite_capacity",
    "remote_capacity", "needs_approval", "public_participant_list",
)  # fmt: skip


def _load_one(event: Event, spec: dict, now) -> None:
    values = {name: spec[name] for name in SETTING_FIELDS if name in spec}
    if "cancellation_deadline_days_before_start" in spec:
        values["cancellation_deadline"] = event.start - timedelta(
            days=spec["cancellation_deadline_days_before_start"]
        )
    if not RegistrationSettings.objects.filter(event=event).exists():
        values["opens_at"] = now - timedelta(days=spec.get("opens_days_before_first_load", 0))
    save_registration_settings(event=event, values=values, now=now)
    # Asked by the person's profile now (sign-up, first registration), no longer per event.
    Question.objects.filter(event=event, label__in=spec.get("retired_questions", [])).delete()
    for position, question in enumerate(spec.get("questions", []), start=1):
        Question.objects.update_or_create(
            event=event,
            label=question["label"],
            defaults={
                "kind": question.get("kind", Question.Kind.TEXT),
                "choices": question.get("choices", []),
                "required": question.get("required", False),
                "position": position,
            },
        )


@transaction.atomic
def load_registration_seeds(path: Path = SEED_FILE, now=None) -> int:
    """Apply every `registration` block to its (already loaded) event; returns how many."""
    data = json.loads(path.read_text(encoding="utf-8"))
    now = now or timezone.now()
    count = 0
    for spec in data.get("events", []) + data.get("demo_events", []):
        if "registration" not in spec:
            continue
        _load_one(Event.objects.get(slug=spec["slug"]), spec["registration"], now)
        count += 1
    return count
