"""Materials and folders of an event: where each belongs (the event or one agenda entry), who may
open it, whether it waits for its start, its folder. The services check all of it again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from escape_events.events.models import Event
from escape_events.timetable.models import Entry, Folder

from .agenda import AccessFields, MaterialForm
from .fields import single_line

EVENT_ITSELF = ""


def place_choices(event: Event) -> list[tuple[str, str]]:
    entries = Entry.objects.filter(event=event).order_by("start", "pk")
    return [(EVENT_ITSELF, _("The event as a whole"))] + [
        (str(entry.pk), f"{entry.local_start:%a %d %b %H:%M} · {entry.title}")
        for entry in entries.select_related("event")
    ]


def folder_label(folder: Folder) -> str:
    return f"{folder.entry.title} › {folder.title}" if folder.entry_id else folder.title


class _Placed(forms.Form):
    """A choice of where a material or folder belongs, turned into an entry (None: the event)."""

    place = forms.ChoiceField(label=_("Belongs to"), required=False)  # empty: the event itself

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["place"].choices = place_choices(event)

    def entry(self) -> Entry | None:
        place = self.cleaned_data["place"]
        return None if place == EVENT_ITSELF else Entry.objects.get(event=self.event, pk=place)


def _folder_field(event: Event) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=_("Folder"),
        queryset=Folder.objects.filter(event=event).select_related("entry"),
        required=False,
        empty_label=_("No folder"),
        help_text=_("A folder of the same place; what it restricts applies on top."),
    )
    field.label_from_instance = folder_label
    return field


class FolderForm(_Placed, AccessFields):
    title = forms.CharField(label=_("Folder name"), max_length=200, validators=[single_line])


class FolderSettingsForm(AccessFields):
    title = forms.CharField(label=_("Folder name"), max_length=200, validators=[single_line])


class PlacedMaterialForm(_Placed, MaterialForm):
    """A new material anywhere in the event, from the materials page."""

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["folder"] = _folder_field(event)


class MaterialSettingsForm(AccessFields):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[single_line])

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"] = _folder_field(event)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"), choices=[("up", _("Up")), ("down", _("Down"))]
    )

    def step(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1


def access_values(form: forms.Form) -> dict:
    data = form.cleaned_data
    values = {"audience": data["audience"], "from_start": data["from_start"]}
    if "folder" in data:
        values["folder"] = data["folder"]
    return values
