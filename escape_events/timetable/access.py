"""Who may open a material now: the one rule that the download view, the public agenda, the
API, the calendar feeds and the ZIP of an event's materials all ask.

It reads no rows. What it needs to know about the person (signed in, registered and how,
speaker, organiser) is a `Reader` that registrations.readers builds, since the timetable sits
below registrations; a material is judged with its folder (both must let the reader in).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from escape_events.events.when import clock_text, long_day_text

from .models import Audience, Gated, Material

# Why a material is refused, and how a download page says it.
SIGN_IN, REGISTER, NOT_YET, HIDDEN = "sign_in", "register", "not_yet", "hidden"
# Whole sentences per audience: the languages build "for … of this event" differently.
_SIGN_IN_TO_OPEN = {
    Audience.SIGNED_IN: _("This material is for signed-in people: sign in to open it."),
    Audience.REGISTRANTS: _("This material is for confirmed registrants: sign in to open it."),
    Audience.ONSITE: _("This material is for confirmed on-site registrants: sign in to open it."),
    Audience.REMOTE: _("This material is for confirmed remote registrants: sign in to open it."),
}
_REGISTER_TO_OPEN = {
    Audience.REGISTRANTS: _(
        "This material is for confirmed registrants of this event: register to open it."
    ),
    Audience.ONSITE: _(
        "This material is for confirmed on-site registrants of this event: register to open it."
    ),
    Audience.REMOTE: _(
        "This material is for confirmed remote registrants of this event: register to open it."
    ),
}
# Audiences whose materials stay unseen by anyone outside them: a stranger learns nothing.
_UNLISTED = {Audience.SPEAKERS, Audience.ORGANISERS}


@dataclass(frozen=True)
class Reader:
    """What the rule knows of a person for one event. Also the key of what a cached listing
    may show them: two readers with the same key see the same materials."""

    signed_in: bool = False
    modes: frozenset[str] = frozenset()  # modes of their confirmed registration ("onsite", …)
    speaker: bool = False
    organiser: bool = False

    @property
    def key(self) -> str:
        if self.organiser:
            return "organiser"
        modes = "+".join(sorted(self.modes)) or "none"
        return f"{'in' if self.signed_in else 'out'}-{modes}-{'s' if self.speaker else 'n'}"


ANONYMOUS = Reader()


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""  # SIGN_IN, REGISTER, NOT_YET or HIDDEN when refused
    audience: str = ""  # the audience that refused
    opens_at: datetime | None = None  # when NOT_YET, in the event's time zone

    @property
    def listed(self) -> bool:
        """Whether a listing may show that it exists (with why it is closed)."""
        return self.reason != HIDDEN

    @property
    def message(self) -> str:
        """Why it is refused, in the active language."""
        if self.reason == SIGN_IN:
            return str(_SIGN_IN_TO_OPEN.get(self.audience, _SIGN_IN_TO_OPEN[Audience.SIGNED_IN]))
        if self.reason == REGISTER:
            return str(_REGISTER_TO_OPEN[self.audience])
        if self.reason == NOT_YET:
            when = self.opens_at
            # Translators: "… starts: Tuesday 15 October 2019 at 14:00 (Europe/Zurich)."
            return gettext(
                "This material opens when its session starts: %(day)s at %(time)s (%(zone)s)."
            ) % {"day": long_day_text(when), "time": clock_text(when), "zone": when.tzinfo}
        return ""


OPEN = Verdict(allowed=True)


def _admits(audience: str, reader: Reader) -> bool:
    if audience == Audience.EVERYONE:
        return True
    if audience == Audience.SIGNED_IN:
        return reader.signed_in
    if audience == Audience.REGISTRANTS:
        return bool(reader.modes) or reader.speaker
    if audience in (Audience.ONSITE, Audience.REMOTE):
        return audience in reader.modes or reader.speaker
    if audience == Audience.SPEAKERS:
        return reader.speaker
    return False  # organisers only


def _gate(gate: Gated, reader: Reader, now: datetime | None, zone) -> Verdict:
    if not _admits(gate.audience, reader):
        if gate.audience in _UNLISTED:
            return Verdict(allowed=False, reason=HIDDEN, audience=gate.audience)
        reason = REGISTER if reader.signed_in and gate.audience != Audience.SIGNED_IN else SIGN_IN
        return Verdict(allowed=False, reason=reason, audience=gate.audience)
    if gate.from_start and not reader.speaker and now is not None and now < gate.opens_at:
        opens_at = gate.opens_at.astimezone(zone)
        return Verdict(allowed=False, reason=NOT_YET, audience=gate.audience, opens_at=opens_at)
    return OPEN


def may_open(material: Material, reader: Reader, now: datetime | None) -> Verdict:
    """Whether `reader` may open `material` at `now`, and why not. Organisers open everything;
    speakers of the event open what registrants open, held back or not; the folder's setting
    applies on top of the material's own. Needs the material's folder (and, for a held-back
    one, its entry or event) fetched with it. `now=None` judges as if every hold were over
    (a listing cached across time: it says when each opens)."""
    if reader.organiser:
        return OPEN
    zone = material.event.zone
    gates = [material.folder, material] if material.folder_id else [material]
    refusals = [
        verdict for gate in gates if not (verdict := _gate(gate, reader, now, zone)).allowed
    ]
    if not refusals:
        return OPEN
    hidden = [verdict for verdict in refusals if verdict.reason == HIDDEN]
    return hidden[0] if hidden else refusals[0]


def may_see_folder(folder, reader: Reader) -> bool:
    """Whether a listing may show the folder itself (its title) to the reader."""
    return reader.organiser or folder.audience not in _UNLISTED or _admits(folder.audience, reader)
