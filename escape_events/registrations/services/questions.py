"""Questions an event picks from its organiser's library: copied as they are defined there, so
two events that pick the same entry ask the same question (a joint form asks it once)."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from escape_events.events.models import Event

from ..models import LibraryQuestion, Question
from ..rules import RegistrationRefused, is_organiser


def add_library_questions(
    *, event: Event, library_questions: Iterable[LibraryQuestion], by
) -> list[Question]:
    """Append the chosen library questions to the event's form (those it asks already are
    skipped); only the library's owner, organising the event, may."""
    if not is_organiser(event=event, user=by):
        raise RegistrationRefused(
            gettext("Only the organisers can do this."), code="forbidden", status=403
        )
    chosen = list(library_questions)
    if any(item.owner_id != by.pk for item in chosen):
        raise RegistrationRefused(
            gettext("Pick from your own library."), code="forbidden", status=403
        )
    with transaction.atomic():
        asked = set(
            event.questions.filter(library_question__isnull=False).values_list(
                "library_question_id", flat=True
            )
        )
        last = event.questions.aggregate(last=Max("position"))["last"] or 0
        added = []
        for item in chosen:
            if item.pk in asked:
                continue
            last += 1
            added.append(
                Question(
                    event=event,
                    position=last,
                    required=item.required,
                    library_question=item,
                    **{name: getattr(item, name) for name in Question.DEFINITION_FIELDS},
                )
            )
        return Question.objects.bulk_create(added)


def library_question_for(*, owner, definition: dict, required: bool = False) -> LibraryQuestion:
    """The owner's library entry with this label, made from `definition` if there is none yet
    (an existing entry is never changed: the seeds load it idempotently)."""
    item, _created = LibraryQuestion.objects.get_or_create(
        owner=owner,
        label=definition["label"],
        defaults={
            "required": required,
            **{name: definition[name] for name in Question.DEFINITION_FIELDS if name in definition},
        },
    )
    return item


# What a copy of an event's question keeps besides its definition (`shown_if` is mapped).
COPIED_FIELDS = (
    *Question.DEFINITION_FIELDS, "required", "position", "option_limits", "shown_if_value",
    "library_question_id",
)  # fmt: skip


def copy_questions(*, source: Event, target: Event) -> list[Question]:
    """Give `target` (a repeat of `source`) the same questions, conditions included."""
    originals = list(source.questions.all())
    copies = Question.objects.bulk_create(
        Question(event=target, **{name: getattr(question, name) for name in COPIED_FIELDS})
        for question in originals
    )
    new_pk = {old.pk: new.pk for old, new in zip(originals, copies, strict=True)}
    conditional = []
    for old, new in zip(originals, copies, strict=True):
        if old.shown_if_id in new_pk:
            new.shown_if_id = new_pk[old.shown_if_id]
            conditional.append(new)
    Question.objects.bulk_update(conditional, ["shown_if"])
    return copies
