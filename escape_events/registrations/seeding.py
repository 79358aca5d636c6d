"""Registration settings and questions for seeded events (the `registration` blocks of the seeds).

Given once, to an event that has no registration settings yet, through the registrations
service like the organiser pages and the admin (the opening time is relative to that load).
An event that has settings keeps them, its questions too: organisers' changes stay, and a
load never promotes, cancels or mails anyone.

A question an event's block names by `{"library": key}` is defined once in the seeds'
`question_library`: events that share it ask it identically, so a joint form (the SWAN hands-on
with the Rucio coding camp) asks it once; the demo organiser gets it in their library
(`load_question_library`), linked to the questions of the events they run.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from escape_events.events.models import Event
from escape_events.events.seeding import SEED_FILE

from .models import Question, RegistrationSettings
from .services import library_question_for, save_registration_settings

SETTING_FIELDS = (
    "registration_required", "allow_onsite", "allow_remote", "onsite_capacity",
    "remote_capacity", "needs_approval", "public_participant_list",
)  # fmt: skip


def _library(data: dict) -> dict[str, dict]:
    return {entry["key"]: entry for entry in data.get("question_library", [])}


def _question_spec(question: dict, library: dict[str, dict]) -> dict:
    """A question of an event's block, its library definition filled in."""
    if "library" not in question:
        return question
    definition = {k: v for k, v in library[question["library"]].items() if k != "key"}
    return definition | {k: v for k, v in question.items() if k != "library"}


def _load_one(event: Event, spec: dict, now, library: dict[str, dict]) -> None:
    values = {name: spec[name] for name in SETTING_FIELDS if name in spec}
    if "cancellation_deadline_days_before_start" in spec:
        values["cancellation_deadline"] = event.start - timedelta(
            days=spec["cancellation_deadline_days_before_start"]
        )
    values["opens_at"] = now - timedelta(days=spec.get("opens_days_before_first_load", 0))
    save_registration_settings(event=event, values=values, now=now)
    for position, question in enumerate(spec.get("questions", []), start=1):
        question = _question_spec(question, library)
        Question.objects.create(
            event=event,
            label=question["label"],
            kind=question.get("kind", Question.Kind.TEXT),
            choices=question.get("choices", []),
            help_text=question.get("help_text", ""),
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
        _load_one(event, spec["registration"], now, _library(data))
        given += 1
    return given


@transaction.atomic
def load_question_library(owner, path: Path = SEED_FILE) -> int:
    """Give `owner` (the demo organiser) the seeds' library questions and link the equal
    questions of the events they run to them; what exists is kept. Returns the entries."""
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = 0
    for definition in _library(data).values():
        item = library_question_for(owner=owner, definition=definition)
        Question.objects.filter(
            event__organisers=owner,
            library_question__isnull=True,
            **{name: getattr(item, name) for name in Question.DEFINITION_FIELDS},
        ).update(library_question=item)
        entries += 1
    return entries
