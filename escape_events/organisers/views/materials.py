"""The materials of an event in one place: folders of the event and of agenda entries, who may
open each material or folder and from when, moving materials between folders, their order."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from escape_events.timetable import services
from escape_events.timetable.models import Audience, Folder, Material
from escape_events.timetable.selectors import organiser_materials

from ..forms.materials import (
    FolderForm,
    FolderSettingsForm,
    MaterialSettingsForm,
    MoveForm,
    PlacedMaterialForm,
    access_values,
)
from ..permissions import organised_event_or_404


def add_material(form, *, entry=None, event=None) -> Material:
    """A file or a link from a valid material form, with who may open it (and its folder)."""
    data = form.cleaned_data
    owner = {"entry": entry, "event": event, "title": data["title"], **access_values(form)}
    if data["file"]:
        return services.add_material_file(uploaded_file=data["file"], **owner)
    return services.add_material_link(url=data["url"], **owner)


def _page(request, event, *, status=200, **forms):
    context = {
        "event": event,
        "places": organiser_materials(event),
        "folder_form": forms.get("folder_form") or FolderForm(event=event),
        "material_form": forms.get("material_form") or PlacedMaterialForm(event=event),
        "settings_error": forms.get("settings_error"),
        "audiences": Audience.choices,
    }
    return render(request, "organisers/materials.html", context, status=status)


def _back(event):
    return redirect("organisers:materials", slug=event.slug)


@login_required
@require_GET
def materials(request, slug):
    event = organised_event_or_404(request.user, slug)
    return _page(request, event)


@login_required
@require_POST
def folder_add(request, slug):
    event = organised_event_or_404(request.user, slug)
    form = FolderForm(request.POST, event=event)
    if form.is_valid():
        try:
            folder = services.add_folder(
                event=event, entry=form.entry(), title=form.cleaned_data["title"],
                **access_values(form),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Folder “%(title)s” created.") % {"title": folder.title})
            return _back(event)
    return _page(request, event, folder_form=form, status=400)


@login_required
@require_POST
def material_add(request, slug):
    event = organised_event_or_404(request.user, slug)
    form = PlacedMaterialForm(request.POST, request.FILES, event=event)
    if form.is_valid():
        try:
            material = add_material(form, entry=form.entry(), event=event)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("“%(title)s” added.") % {"title": material.title})
            return _back(event)
    return _page(request, event, material_form=form, status=400)


def _refused(request, event, item, error_messages):
    text = "; ".join(error_messages)
    return _page(
        request,
        event,
        settings_error=_("“%(title)s” was not changed: %(problems)s")
        % {"title": item.title, "problems": text},
        status=400,
    )


def _save_settings(request, event, item, form, update):
    """The settings form of a material or folder: saved, or refused with the reason (400)."""
    if not form.is_valid():
        return _refused(request, event, item, [e for errs in form.errors.values() for e in errs])
    try:
        update(item, title=form.cleaned_data["title"], **access_values(form))
    except ValidationError as error:
        return _refused(request, event, item, error.messages)
    messages.success(request, _("“%(title)s” saved.") % {"title": form.cleaned_data["title"]})
    return _back(event)


@login_required
@require_POST
def folder_edit(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    folder = get_object_or_404(Folder, event=event, pk=pk)
    return _save_settings(
        request, event, folder, FolderSettingsForm(request.POST),
        lambda item, **values: services.update_folder(folder=item, **values),
    )  # fmt: skip


@login_required
@require_POST
def folder_delete(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    folder = get_object_or_404(Folder, event=event, pk=pk)
    count = services.remove_folder(folder=folder)
    if count:
        deleted = ngettext(
            "Folder “%(title)s” deleted; its %(count)d material stays, out of any folder.",
            "Folder “%(title)s” deleted; its %(count)d materials stay, out of any folder.",
            count,
        ) % {"title": folder.title, "count": count}
    else:
        deleted = _("Folder “%(title)s” deleted.") % {"title": folder.title}
    messages.success(request, deleted)
    return _back(event)


@login_required
@require_POST
def material_edit(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    material = get_object_or_404(Material, event=event, pk=pk)
    return _save_settings(
        request, event, material, MaterialSettingsForm(request.POST, event=event),
        lambda item, **values: services.update_material(material=item, **values),
    )  # fmt: skip


@login_required
@require_POST
def move(request, slug, kind, pk):
    event = organised_event_or_404(request.user, slug)
    model = Folder if kind == "folder" else Material
    item = get_object_or_404(model, event=event, pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _refused(request, event, item, ["say up or down"])
    services.move_in_order(item=item, by=form.step())
    return _back(event)
