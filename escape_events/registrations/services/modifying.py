"""Changing a registration after it was made: answers, names, organisers' note and tags, and
the waiting line held beside a place ("leave the on-site line, keep remote"; "join the
on-site line from a remote place").

The person does it until the modification deadline, the organisers at any time, through the
same functions (`history.modifier` says which); each change is kept and mailed to the person.
Switching mode is `attendee_actions.switch_mode`, which keeps its history the same way.
"""

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from escape_events.accounts.services import update_profile

from ..availability import options_free
from ..changes import item, line_label
from ..models import Answer, RegistrationTag
from ..question_kinds import chosen_options
from ..rules import (
    MAX_ANSWER_LENGTH,
    RegistrationRefused,
    clean_answers,
    full_option_refusal,
    membership_refusal,
    place_refusal,
)
from ..signals import announce
from .history import modifier, record_change
from .seats import Mode, Status, locked, read_availability, settings_for

# Stored as written in the change history; translated where a refusal names them.
NAME_FIELDS = {
    "first_name": gettext_noop("First name"),
    "last_name": gettext_noop("Family name"),
    "affiliation": gettext_noop("Affiliation"),
}
NAME_MAX_LENGTH = 150
TAG_MAX_LENGTH = RegistrationTag._meta.get_field("name").max_length
TAGS_MAX = 20


def edit_registration(
    *,
    registration,
    by,
    answers: Mapping[int, str] | None = None,
    names: Mapping[str, str] | None = None,
    note: str | None = None,
    tags: Sequence[str] | None = None,
    now=None,
):
    """Change what is given (None: leave it): `answers` to every question of the event (the
    same checks as registering), the person's `names` (first_name, last_name, affiliation: their
    profile, shown wherever they registered), and, for organisers only, a private `note` and
    `tags`. Returns the RegistrationChange kept, or None when nothing changed."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = locked(registration)
        by_organiser = modifier(registration=registration, by=by, now=now)
        if (note is not None or tags is not None) and not by_organiser:
            raise RegistrationRefused(
                gettext("Only the organisers keep notes and tags."), code="forbidden", status=403
            )
        changes = []
        if answers is not None:
            changes += _change_answers(registration, answers)
        if names is not None and registration.user_id is not None:
            changes += _change_names(registration.user, names)
        if note is not None:
            changes += _change_note(registration, note)
        if tags is not None:
            changes += _change_tags(registration, tags)
        return record_change(
            registration=registration, by=by, by_organiser=by_organiser, changes=changes, now=now
        )


def _change_answers(registration, answers: Mapping[int, str]) -> list[dict]:
    questions = list(registration.event.questions.all())
    cleaned = clean_answers(questions=questions, answers=answers)
    stored = {answer.question_id: answer for answer in registration.answers.all()}
    # An option newly picked needs one left (counted under the event lock, as registering does);
    # what the registration already holds stays its own.
    newly_picked = {
        question.pk: "\n".join(
            set(chosen_options(question, cleaned.get(question.pk, "")))
            - set(
                chosen_options(question, stored[question.pk].value if question.pk in stored else "")
            )
        )
        for question in questions
    }
    full = full_option_refusal(
        questions=questions, answers=newly_picked, free=options_free(questions)
    )
    if full is not None:
        raise full
    changes = []
    for question in questions:
        old = stored.get(question.pk)
        before, after = (old.value if old else ""), cleaned.get(question.pk, "")
        if before == after:
            continue
        changes.append(item(question.label, before, after))
        if not after:
            old.delete()
        elif old:
            old.value = after
            old.save(update_fields=["value"])
        else:
            Answer.objects.create(registration=registration, question=question, value=after)
    return changes


def _change_names(user, names: Mapping[str, str]) -> list[dict]:
    wanted = {}
    for field, label in NAME_FIELDS.items():
        value = " ".join(str(names.get(field, getattr(user, field))).split())
        if len(value) > NAME_MAX_LENGTH:
            raise RegistrationRefused(
                gettext("%(field)s: at most %(max)s characters.")
                % {"field": gettext(label), "max": NAME_MAX_LENGTH},
                code="too_long",
            )
        if not value and field != "affiliation":
            raise RegistrationRefused(
                gettext("%(field)s: please give it.") % {"field": gettext(label)},
                code="missing_name",
            )
        wanted[field] = value
    changes = [
        item(label, getattr(user, field), wanted[field])
        for field, label in NAME_FIELDS.items()
        if getattr(user, field) != wanted[field]
    ]
    if changes:
        update_profile(user=user, **wanted)
    return changes


def _change_note(registration, note: str) -> list[dict]:
    note = note.strip()
    if len(note) > MAX_ANSWER_LENGTH:
        raise RegistrationRefused(
            gettext("The note is too long (at most %(max)s characters).")
            % {"max": MAX_ANSWER_LENGTH},
            code="too_long",
        )
    if note == registration.note:
        return []
    change = item("Organisers' note", registration.note, note, private=True)
    registration.note = note
    registration.save(update_fields=["note"])
    return [change]


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Tags as typed: trimmed, once each (case aside), sorted; refused when too long or many."""
    cleaned: dict[str, str] = {}
    for tag in tags:
        name = " ".join(str(tag).split())
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise RegistrationRefused(
                f'The tag "{name[:20]}…" is too long (at most {TAG_MAX_LENGTH} characters).',
                code="too_long",
            )
        cleaned.setdefault(name.casefold(), name)
    if len(cleaned) > TAGS_MAX:
        raise RegistrationRefused(
            gettext("At most %(max)s tags per person.") % {"max": TAGS_MAX}, code="too_many"
        )
    return sorted(cleaned.values(), key=str.casefold)


def tags_for(event, names: Sequence[str]) -> list[RegistrationTag]:
    """The event's tags of these names, made when new (an existing one keeps its spelling)."""
    existing = {tag.name.casefold(): tag for tag in RegistrationTag.objects.filter(event=event)}
    found = []
    for name in names:
        tag = existing.get(name.casefold())
        if tag is None:
            tag = existing[name.casefold()] = RegistrationTag.objects.create(event=event, name=name)
        found.append(tag)
    return found


def _change_tags(registration, tags: Sequence[str]) -> list[dict]:
    wanted = tags_for(registration.event, clean_tags(tags))
    current = sorted(registration.tags.all(), key=lambda tag: tag.name.casefold())
    if {tag.pk for tag in current} == {tag.pk for tag in wanted}:
        return []
    registration.tags.set(wanted)
    before = ", ".join(tag.name for tag in current)
    after = ", ".join(tag.name for tag in wanted)
    return [item("Tags", before, after, private=True)]


def leave_waiting_line(*, registration, by, now=None):
    """Keep the place held now and leave the line for the other mode ("leave the on-site
    waiting list, keep remote"); nobody is promoted, since no place was freed."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = locked(registration)
        by_organiser = modifier(registration=registration, by=by, now=now)
        if not registration.waiting_for_mode or registration.status == Status.WAITING:
            raise RegistrationRefused(gettext("You are on no other waiting list."), code="state")
        _wait_for(registration, "", by=by, by_organiser=by_organiser, now=now)
    return registration


def join_waiting_line(*, registration, mode: str, by, now=None):
    """Keep the place held now and queue for the other mode, which is full ("join the on-site
    waiting list from a remote place"); when it has room, switching is the way (refused here)."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = locked(registration)
        by_organiser = modifier(registration=registration, by=by, now=now)
        settings = settings_for(registration.event)
        if registration.status not in (Status.CONFIRMED, Status.PENDING) or settings is None:
            raise RegistrationRefused(
                gettext("Only someone holding a place can queue for the other one."), code="state"
            )
        if mode not in Mode.values or mode == registration.mode or not settings.allows(mode):
            raise RegistrationRefused(gettext("This waiting list is not offered."), code="tampered")
        if registration.waiting_for_mode == mode:
            return registration
        on_behalf = registration.user_id != by.pk
        refusal = place_refusal(
            event=registration.event, settings=settings, now=now, by_organiser=on_behalf
        ) or membership_refusal(settings=settings, user=registration.user)
        if refusal:
            raise refusal
        if read_availability(settings).has_room(mode):
            raise RegistrationRefused(
                gettext("%(mode)s has room: switch to it instead of waiting.")
                % {"mode": Mode(mode).label},
                code="has_room",
                status=409,
            )
        _wait_for(registration, mode, by=by, by_organiser=by_organiser, now=now)
        announce(registration, "waiting")
    return registration


def _wait_for(registration, mode: str, *, by, by_organiser: bool, now) -> None:
    """Hold the place and wait for `mode` from now on ("": wait for nothing), kept and mailed."""
    before = registration.waiting_for_mode
    registration.waiting_for_mode = mode
    registration.waiting_since = now if mode else None
    registration.status_changed_at = now
    registration.save(update_fields=["waiting_for_mode", "waiting_since", "status_changed_at"])
    record_change(
        registration=registration,
        by=by,
        by_organiser=by_organiser,
        changes=[item("Waiting list", line_label(before), line_label(mode))],
        now=now,
    )
