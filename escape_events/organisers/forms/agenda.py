"""The agenda of an event: entries, their speakers and materials, sessions, moves, CSV import.
Times are typed as the event's local clock: a day of the event and hours."""

from datetime import date, datetime, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from escape_events.events.models import Event
from escape_events.events.when import day_text
from escape_events.timetable.imports import MAX_BYTES
from escape_events.timetable.models import Audience, Entry, EntryKind, Session
from escape_events.timetable.services import Person

from .fields import lazy_format, single_line
from .files import ACCEPT

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def event_days(event: Event) -> list[date]:
    first = event.local_start.date()
    return [first + timedelta(days=n) for n in range((event.last_day - first).days + 1)]


def _day_choices(event: Event) -> list[tuple[str, str]]:
    return [(day.isoformat(), day_text(day)) for day in event_days(event)]


class EntryForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=date.fromisoformat)
    start_time = forms.TimeField(label=_("Start"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("End"), widget=TIME_INPUT)
    title = forms.CharField(label=_("Title"), max_length=200, validators=[single_line])
    kind = forms.ChoiceField(label=_("Kind"), choices=EntryKind.choices, initial=EntryKind.TALK)
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("None (main programme)"),
    )
    location = forms.CharField(
        label=_("Room or place"), max_length=200, required=False, validators=[single_line],
        help_text=_("Only when it differs from the event's (or its session's)."),
    )  # fmt: skip
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown; shown under the title."),
    )

    def __init__(self, *args, event: Event, entry: Entry | None = None, **kwargs):
        self.event = event
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "day": entry.local_start.date().isoformat(),
                    "start_time": entry.local_start.time(),
                    "end_time": entry.local_end.time(),
                    "title": entry.title,
                    "kind": entry.kind,
                    "session": entry.session_id,
                    "location": entry.location,
                    "description": entry.description,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = _day_choices(event)
        self.fields["session"].queryset = Session.objects.filter(event=event)
        zone = _("Local time in %(zone)s.") % {"zone": event.time_zone}
        self.fields["start_time"].help_text = zone
        self.fields["end_time"].help_text = zone

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", ValidationError(_("The end must be after the start.")))
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        zone = self.event.zone
        return {
            "start": datetime.combine(data["day"], data["start_time"], zone),
            "end": datetime.combine(data["day"], data["end_time"], zone),
            "title": data["title"],
            "kind": data["kind"],
            "session": data["session"],
            "location": data["location"],
            "description": data["description"],
        }


class PersonForm(forms.Form):
    """One speaker or convener: typed in, or a registered participant (name taken from them)."""

    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, validators=[single_line]
    )
    affiliation = forms.CharField(
        label=_("Affiliation"), max_length=200, required=False, validators=[single_line]
    )
    participant = forms.ModelChoiceField(
        label=_("Participant"),
        queryset=None,
        required=False,
        empty_label=_("Not a registered participant"),
    )

    def __init__(self, *args, participants=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["participant"]
        field.queryset = participants
        field.label_from_instance = lambda user: (
            f"{user.display_name} ({user.affiliation})" if user.affiliation else user.display_name
        )

    def person(self) -> Person | None:
        data = self.cleaned_data
        if not (data.get("name") or data.get("participant")):
            return None
        return Person(data["name"], data["affiliation"], data["participant"])


class BasePeopleFormSet(forms.BaseFormSet):
    def people(self) -> list[Person]:
        return [person for form in self.forms if (person := form.person())]


PeopleFormSet = forms.formset_factory(
    PersonForm, formset=BasePeopleFormSet, extra=2, max_num=30, validate_max=True
)


def people_formset(data, *, prefix: str, people, participants) -> BasePeopleFormSet:
    initial = [
        {"name": person.name, "affiliation": person.affiliation, "participant": person.user_id}
        for person in people
    ]
    return PeopleFormSet(
        data, prefix=prefix, initial=initial, form_kwargs={"participants": participants}
    )


class SessionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        validators=[single_line],
        help_text=_("e.g. Day 2 — Rucio internals"),
    )
    location = forms.CharField(
        label=_("Room or place"), max_length=200, required=False, validators=[single_line],
        help_text=_("Only when it differs from the event's."),
    )  # fmt: skip


SHIFTS = [-120, -60, -30, -15, -10, -5, 5, 10, 15, 30, 60, 120]


def _shift_label(minutes: int) -> str:
    amount = abs(minutes)
    earlier = minutes < 0
    if amount >= 1440:
        days = amount // 1440
        if earlier:
            return ngettext("%(days)d day earlier", "%(days)d days earlier", days) % {"days": days}
        return ngettext("%(days)d day later", "%(days)d days later", days) % {"days": days}
    if amount >= 60:
        hours = amount // 60
        return (_("%(hours)d h earlier") if earlier else _("%(hours)d h later")) % {"hours": hours}
    return (_("%(minutes)d min earlier") if earlier else _("%(minutes)d min later")) % {
        "minutes": amount
    }


class MoveEntryForm(forms.Form):
    by = forms.TypedChoiceField(label=_("Move it"), coerce=int)
    following = forms.BooleanField(
        label=_("Also move the entries after it on that day (same session)"), required=False
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        shifts = list(SHIFTS)
        if event.is_multi_day:
            shifts = [-1440, *shifts, 1440]
        self.fields["by"].choices = [(value, _shift_label(value)) for value in shifts]
        self.fields["by"].initial = 15

    @property
    def delta(self) -> timedelta:
        return timedelta(minutes=self.cleaned_data["by"])


class DuplicateEntryForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=date.fromisoformat)
    start_time = forms.TimeField(label=_("Start"), widget=TIME_INPUT)

    def __init__(self, *args, event: Event, entry: Entry, **kwargs):
        self.event = event
        days = event_days(event)
        own = entry.local_start.date()
        later = [day for day in days if day > own]
        if later:  # a camp: the same slot the next day
            initial = {"day": later[0].isoformat(), "start_time": entry.local_start.time()}
        else:  # right after the original
            initial = {"day": own.isoformat(), "start_time": entry.local_end.time()}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = _day_choices(event)

    def start(self) -> datetime:
        data = self.cleaned_data
        return datetime.combine(data["day"], data["start_time"], self.event.zone)


class AccessFields(forms.Form):
    """Who may open a material or what a folder holds, and whether it waits for its start."""

    audience = forms.ChoiceField(
        label=_("Who may open it"),
        choices=Audience.choices,
        initial=Audience.EVERYONE,
        required=False,
        help_text=_("Organisers always may. Left out: everyone."),
    )
    from_start = forms.BooleanField(
        label=_("Hold it back until its agenda entry (or the event) starts"), required=False
    )

    def clean_audience(self) -> str:
        return self.cleaned_data["audience"] or Audience.EVERYONE


class MaterialForm(AccessFields):
    """A file (checked again by the service) or a link, with the title people see and who may
    open it."""

    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, validators=[single_line]
    )
    file = forms.FileField(
        label=_("File"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    url = forms.URLField(
        label=_("…or a link"), required=False, max_length=500, assume_scheme="https",
        help_text=_("Slides elsewhere, a notebook on SWAN, a recording."),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Up to %(size)s; the same types as event files.") % {
            "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)
        }

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise ValidationError(_("Choose a file or give a link (one of the two)."))
        return cleaned


class AgendaImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=lazy_format(
            _("UTF-8, at most %(size)d KB; comma, semicolon or tab separated."),
            size=MAX_BYTES // 1024,
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d KB.") % {"size": MAX_BYTES // 1024}
            )
        return uploaded


class AgendaConfirmForm(forms.Form):
    """The checked file travels back as text: it is read and checked again before storing."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=MAX_BYTES, strip=False)
