"""Who may change a registration after it was made, and the record of each change.

The person may until the event's modification deadline (`rules.modification_deadline`); the
organisers may at any time. Every change is kept (RegistrationChange: who, when, field, before,
after) and mailed to the person, in the change's transaction.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .. import mails
from ..models import Registration, RegistrationChange
from ..rules import RegistrationRefused, is_organiser, modification_deadline
from .seats import settings_for


def modifier(*, registration: Registration, by, now) -> bool:
    """Whether `by` acts as an organiser; raises when they may not change this registration."""
    if is_organiser(event=registration.event, user=by):
        return True
    if by is None or by.pk != registration.user_id:
        raise RegistrationRefused(
            gettext("This is not your registration."), code="forbidden", status=403
        )
    if not registration.is_active:
        raise RegistrationRefused(gettext("This registration is not active."), code="inactive")
    event = registration.event
    if now >= modification_deadline(event=event, settings=settings_for(event)):
        raise RegistrationRefused(
            gettext("Changes online are closed; please write to %(contact)s.")
            % {"contact": event.contact_email}
            if event.contact_email
            else gettext("Changes online are closed; please write to the organisers."),
            code="deadline",
            status=409,
        )
    return False


def record_change(
    *,
    registration: Registration,
    by,
    by_organiser: bool,
    changes: list[dict],
    now,
    mail: bool = True,
) -> RegistrationChange | None:
    """Keep what changed and tell the person, unless another mail of the same step already does
    (`mail`); nothing is kept when nothing changed."""
    if not changes:
        return None
    change = RegistrationChange.objects.create(
        registration=registration,
        at=now,
        by=by if by is not None and by.is_authenticated else None,
        by_organiser=by_organiser,
        changes=changes,
    )
    change.registration = registration
    if mail:
        mails.send_changed(change)
    return change


def item(field: str, before: str, after: str, *, private: bool = False) -> dict:
    """One line of a change; `private` ones (organisers' note, tags) the person never sees. Kept
    as text in the site's language (labels such as a mode's are translatable)."""
    with translation.override(settings.LANGUAGE_CODE):
        entry = {"field": str(field), "before": str(before), "after": str(after)}
    if private:
        entry["private"] = True
    return entry


# Kept in a change as these English words; `change_in_words` says them in the reader's language.
LINE_LABELS = {
    Registration.Mode.ONSITE: gettext_noop("On-site waiting list"),
    Registration.Mode.REMOTE: gettext_noop("Remote waiting list"),
}
# The words of a change that are the site's own, as kept (English), and how the reader reads
# them; the others are organisers' questions, and what people answered or wrote.
SITE_WORDS = {
    "Attendance": pgettext_lazy("a registration's way of attending", "Attendance"),
    "Waiting list": _("Waiting list"),
    "Tags": _("Tags"),
    "Organisers' note": _("Organisers' note"),
    **{str(label): _(label) for label in LINE_LABELS.values()},
    "On-site": Registration.Mode.ONSITE.label,
    "Remote": Registration.Mode.REMOTE.label,
    "First name": _("First name"),
    "Family name": _("Family name"),
    "Affiliation": _("Affiliation"),
}


def line_label(mode: str) -> str:
    return LINE_LABELS[mode] if mode else ""


def change_in_words(entry: dict) -> dict:
    """One line of a change in the active language: the site's own words translated, what the
    organisers or the person wrote as it is."""

    def say(text: str) -> str:
        return str(SITE_WORDS.get(text, text))

    return {**entry, "field": say(entry["field"]), "before": say(entry["before"]),
            "after": say(entry["after"])}  # fmt: skip
