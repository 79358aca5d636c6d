"""Registration settings and questions for seeded events (the `registration` blocks of the seeds).

Given once, to an event that has no registration settings yet, through the registrations
service like the organiser pages and the admin (the opening time is relative to that load).
An event that has settings keeps them, its questions too: organisers' changes stay, and a
load never promotes, cancels or mails anyone.
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
    values["opens_at"] = now - timedelta(days=spec.get("opens_days_before_first_load", 0))
    save_registration_settings(event=event, values=values, now=now)
    for position, question in enumerate(spec.get("questions", []), start=1):
        Question.objects.create(
            event=event,
            label=question["label"],
            kind=question.get("kind", Question.Kind.TEXT),
            choices=question.get("choices", []),
            required=question.get("required", False),
            position=position,
        )


@transaction.atomic
def load_registration_seeds(path: Path = SEED_FILE, now=None) -> int:
    """Give every seeded event with a `registration` block and no settings yet its settings and
    questions; returns how many events were given them now."""
    data = json.loads(path.read_text(encoding="utf-8"))
    now = now or timezone.now()
    given = 0
    for spec in data.get("events", []) + data.get("demo_events", []):
        if "registration" not in spec:
            continue
        event = Event.objects.get(slug=spec["slug"])
        if RegistrationSettings.objects.filter(event=event).exists():
            continue
        _load_one(event, spec["registration"], now)
        given += 1
    return given
