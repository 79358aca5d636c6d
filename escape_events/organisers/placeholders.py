"""Placeholders in a message the organisers write: `{first_name}`, `{event}`, `{join_link}` for
people attending remotely, `{ticket}` for people with a seat in the room.

Checked before anything is sent: an unknown name, a lone brace, or a placeholder that some
recipient could not receive (a join link to someone on-site) is refused with a message saying
which and why. Filled by plain substitution (never `str.format`, which would let a message read
attributes of the values it is given); `{{` and `}}` write a brace itself.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from escape_events.events.models import Event
from escape_events.registrations.models import Registration

Mode = Registration.Mode
Status = Registration.Status

PLACEHOLDERS = {
    "first_name": gettext_lazy("the person's first name"),
    "event": gettext_lazy("the event's title"),
    "join_link": gettext_lazy("the link to join remotely (only to people attending remotely)"),
    "ticket": gettext_lazy("the person's check-in code (only to confirmed on-site people)"),
}
AUDIENCE_OF_STATUS = {
    Status.WAITING: gettext_lazy("Waiting list"),
    Status.PENDING: gettext_lazy("Awaiting approval"),
}
TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


@dataclass(frozen=True)
class Recipient:
    """What a placeholder needs to know of one person."""

    first_name: str
    mode: str
    status: str
    check_in_code: str
    language: str = ""  # the person's preferred language, for what the site adds to the message

    @property
    def label(self) -> str:
        """The audience the person belongs to, as the message form names it."""
        if self.status == Status.CONFIRMED:
            # Translators: an audience of a message, e.g. "Confirmed, on-site".
            return _("Confirmed, %(mode)s") % {"mode": Mode(self.mode).label.lower()}
        return str(AUDIENCE_OF_STATUS.get(self.status) or Status(self.status).label)


def _names(text: str) -> list[str]:
    """The placeholder names in `text`; ValidationError for a lone brace."""
    names = []
    for match in TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            raise ValidationError(
                _("A lone “%(brace)s”: write it twice (%(twice)s) for a brace itself."),
                params={"brace": token, "twice": token * 2},
            )
        names.append(match.group(1).strip())
    return names


def check(texts: list[str], *, event: Event, recipients: list[Recipient]) -> None:
    """Refuse placeholders that are unknown, or that some recipient could not receive."""
    errors = []
    for name in dict.fromkeys(name for text in texts for name in _names(text)):
        if name not in PLACEHOLDERS:
            known = ", ".join(f"{{{key}}}" for key in PLACEHOLDERS)
            errors.append(
                _("Unknown placeholder %(name)s: you can use %(known)s.")
                % {"name": f"{{{name}}}", "known": known}
            )
        elif name == "join_link":
            if not event.online_url:
                errors.append(
                    _("%(placeholder)s: this event has no link to join remotely.")
                    % {"placeholder": "{join_link}"}
                )
            elif any(not _joins_remotely(person) for person in recipients):
                errors.append(
                    _(
                        "%(placeholder)s goes only to people attending remotely; this message "
                        "also reaches others. Choose only the confirmed remote audience."
                    )
                    % {"placeholder": "{join_link}"}
                )
        elif name == "ticket" and any(not _holds_ticket(person) for person in recipients):
            errors.append(
                _(
                    "%(placeholder)s goes only to confirmed on-site people; this message also "
                    "reaches others. Choose only the confirmed on-site audience."
                )
                % {"placeholder": "{ticket}"}
            )
    if errors:
        raise ValidationError(errors)


def fill(text: str, *, event: Event, person: Recipient) -> str:
    """The text as this person reads it (checked first with `check`)."""
    values = {
        # Translators: addresses someone whose first name is unknown, as in "Dear participant".
        "first_name": person.first_name.strip() or pgettext("addressing someone", "participant"),
        "event": event.title,
        "join_link": event.online_url,
        "ticket": person.check_in_code,
    }

    def replace(match: re.Match) -> str:
        token = match.group(0)
        if token in ("{{", "}}") or match.group(1) is None:
            return token[0]
        return values.get(match.group(1).strip(), token)

    return TOKEN.sub(replace, text)


def _joins_remotely(person: Recipient) -> bool:
    return person.status == Status.CONFIRMED and person.mode == Mode.REMOTE


def _holds_ticket(person: Recipient) -> bool:
    return person.status == Status.CONFIRMED and person.mode == Mode.ONSITE
