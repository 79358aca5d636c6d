"""The agenda of an event in the organiser's area: entries (add, edit, duplicate, move, delete),
their speakers and materials, sessions with conveners, and a CSV import with a preview."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from escape_events.core.limits import limit_posts
from escape_events.registrations.models import Registration
from escape_events.timetable import services
from escape_events.timetable.imports import import_agenda, read_agenda_csv
from escape_events.timetable.models import Entry, Material, Session
from escape_events.timetable.selectors import agenda_for

from ..forms import (
    AgendaConfirmForm,
    AgendaImportForm,
    DuplicateEntryForm,
    EntryForm,
    MaterialForm,
    MoveEntryForm,
    SessionForm,
    people_formset,
)
from ..permissions import organised_event_or_404
from .materials import add_material


def _participants(event, people=()):
    """Who can be picked as a speaker: confirmed participants, and whoever is picked already."""
    confirmed = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED
    ).values("user_id")
    linked = [person.user_id for person in people if person.user_id]
    return get_user_model().objects.filter(Q(pk__in=confirmed) | Q(pk__in=linked))


def _agenda_page(request, event):
    return redirect("organisers:agenda", slug=event.slug)


@login_required
@require_GET
def agenda(request, slug):
    event = organised_event_or_404(request.user, slug)
    context = {
        "event": event,
        "agenda": agenda_for(event),
        "sessions": Session.objects.filter(event=event).prefetch_related("conveners"),
    }
    return render(request, "organisers/agenda.html", context)


def _entry_form_page(request, event, *, entry=None):
    people = list(entry.speakers.all()) if entry else []
    data = request.POST if request.method == "POST" else None
    form = EntryForm(data, event=event, entry=entry)
    speakers = people_formset(
        data, prefix="speakers", people=people, participants=_participants(event, people)
    )
    if data is not None and form.is_valid() and speakers.is_valid():
        try:
            if entry is None:
                saved = services.add_entry(
                    event=event, values=form.values(), speakers=speakers.people()
                )
            else:
                saved = services.update_entry(
                    entry=entry, values=form.values(), speakers=speakers.people()
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            done = (
                _("“%(title)s” is added to the agenda.")
                if entry is None
                else _("“%(title)s” is saved in the agenda.")
            )
            messages.success(request, done % {"title": saved.title})
            if "add_another" in request.POST:
                return redirect("organisers:agenda_entry_add", slug=event.slug)
            return _agenda_page(request, event)
    context = {
        "event": event,
        "entry": entry,
        "form": form,
        "speakers": speakers,
        "material_form": MaterialForm(),
    }
    status = 400 if data is not None else 200
    return render(request, "organisers/agenda_entry.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_add(request, slug):
    event = organised_event_or_404(request.user, slug)
    return _entry_form_page(request, event)


def _entry_or_404(event, pk) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("session").prefetch_related("materials"), event=event, pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    return _entry_form_page(request, event, entry=_entry_or_404(event, pk))


@login_required
@require_http_methods(["GET", "POST"])
def entry_duplicate(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    entry = _entry_or_404(event, pk)
    form = DuplicateEntryForm(request.POST or None, event=event, entry=entry)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.duplicate_entry(entry=entry, start=form.start())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("“%(title)s” is copied; edit the copy below if need be.") % {"title": copy.title},
            )
            return redirect("organisers:agenda_entry_edit", slug=event.slug, pk=copy.pk)
    status = 400 if form.is_bound else 200
    context = {"event": event, "entry": entry, "form": form}
    return render(request, "organisers/agenda_duplicate.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_move(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    entry = _entry_or_404(event, pk)
    form = MoveEntryForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        moving = [entry]
        if form.cleaned_data["following"]:
            day = entry.local_start.date()
            later = Entry.objects.filter(
                event=event, session=entry.session, start__gte=entry.end
            ).order_by("start")
            moving += [other for other in later if other.local_start.date() == day]
        try:
            services.shift_entries(event=event, entries=moving, by=form.delta)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            after = len(moving) - 1
            if after:
                moved = ngettext(
                    "“%(title)s” with %(count)d entry after it moved.",
                    "“%(title)s” with %(count)d entries after it moved.",
                    after,
                ) % {"title": entry.title, "count": after}
            else:
                moved = _("“%(title)s” moved.") % {"title": entry.title}
            messages.success(request, moved)
            return _agenda_page(request, event)
    status = 400 if form.is_bound else 200
    context = {"event": event, "entry": entry, "form": form}
    return render(request, "organisers/agenda_move.html", context, status=status)


@login_required
@require_POST
def entry_delete(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    entry = _entry_or_404(event, pk)
    services.remove_entry(entry=entry)
    messages.success(
        request, _("“%(title)s” was deleted from the agenda.") % {"title": entry.title}
    )
    return _agenda_page(request, event)


@login_required
@limit_posts("upload", "UPLOAD_RATE_LIMIT", what="uploads")
@require_POST
def material_add(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    entry = _entry_or_404(event, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            material = add_material(form, entry=entry)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("“%(material)s” is attached to “%(entry)s”.")
                % {"material": material.title, "entry": entry.title},
            )
            return redirect("organisers:agenda_entry_edit", slug=event.slug, pk=entry.pk)
    people = list(entry.speakers.all())
    context = {
        "event": event,
        "entry": entry,
        "form": EntryForm(event=event, entry=entry),
        "speakers": people_formset(
            None, prefix="speakers", people=people, participants=_participants(event, people)
        ),
        "material_form": form,
    }
    return render(request, "organisers/agenda_entry.html", context, status=400)


@login_required
@require_POST
def material_delete(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    material = get_object_or_404(Material, event=event, pk=pk)
    services.remove_material(material=material)
    messages.success(request, _("“%(title)s” was removed.") % {"title": material.title})
    if material.entry_id is None or request.POST.get("back") == "materials":
        return redirect("organisers:materials", slug=event.slug)
    return redirect("organisers:agenda_entry_edit", slug=event.slug, pk=material.entry_id)


def _session_form_page(request, event, *, session=None):
    people = list(session.conveners.all()) if session else []
    data = request.POST if request.method == "POST" else None
    initial = {"title": session.title, "location": session.location} if session else None
    form = SessionForm(data, initial=initial)
    conveners = people_formset(
        data, prefix="conveners", people=people, participants=_participants(event, people)
    )
    if data is not None and form.is_valid() and conveners.is_valid():
        try:
            if session is None:
                saved = services.add_session(
                    event=event, values=form.cleaned_data, conveners=conveners.people()
                )
            else:
                saved = services.update_session(
                    session=session, values=form.cleaned_data, conveners=conveners.people()
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Session “%(title)s” saved.") % {"title": saved.title})
            return _agenda_page(request, event)
    context = {"event": event, "session": session, "form": form, "conveners": conveners}
    status = 400 if data is not None else 200
    return render(request, "organisers/agenda_session.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def session_add(request, slug):
    event = organised_event_or_404(request.user, slug)
    return _session_form_page(request, event)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    session = get_object_or_404(Session, event=event, pk=pk)
    return _session_form_page(request, event, session=session)


@login_required
@require_POST
def session_delete(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    session = get_object_or_404(Session, event=event, pk=pk)
    count = services.remove_session(session=session)
    messages.success(
        request,
        ngettext(
            "Session “%(title)s” and its %(count)d entry were deleted.",
            "Session “%(title)s” and its %(count)d entries were deleted.",
            count,
        )
        % {"title": session.title, "count": count},
    )
    return _agenda_page(request, event)


@login_required
@limit_posts("upload", "UPLOAD_RATE_LIMIT", what="uploads")
@require_http_methods(["GET", "POST"])
def agenda_import(request, slug):
    """Upload: every row is read and checked, nothing stored. Confirm: stored, all or none."""
    event = organised_event_or_404(request.user, slug)
    upload, preview, confirm = AgendaImportForm(), None, None
    status = 200
    if request.method == "POST" and "text" in request.POST:
        confirm = AgendaConfirmForm(request.POST)
        if confirm.is_valid():
            preview = import_agenda(event=event, text=confirm.cleaned_data["text"])
            if preview.ok:
                imported = len(preview.rows)
                messages.success(
                    request,
                    ngettext("%(count)d entry imported.", "%(count)d entries imported.", imported)
                    % {"count": imported},
                )
                return _agenda_page(request, event)
        status = 400
    elif request.method == "POST":
        upload = AgendaImportForm(request.POST, request.FILES)
        if upload.is_valid():
            preview = read_agenda_csv(event, upload.cleaned_data["file"].read())
            if preview.ok:
                confirm = AgendaConfirmForm(initial={"text": preview.text})
            else:
                status = 400
        else:
            status = 400
    context = {"event": event, "upload": upload, "preview": preview, "confirm": confirm}
    return render(request, "organisers/agenda_import.html", context, status=status)
