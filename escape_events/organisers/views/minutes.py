"""Minutes of a meeting and of each of its agenda items: edit, history with differences, restore."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from escape_events.timetable.minutes import (
    MinutesConflict,
    diff_rows,
    history,
    minutes_by_entry,
    minutes_of,
    restore_revision,
    save_minutes,
)
from escape_events.timetable.models import Entry, MinutesRevision
from escape_events.timetable.selectors import agenda_for

from ..forms import MinutesForm, RestoreRevisionForm
from ..permissions import organised_event_or_404


def _target(request, slug, entry_pk):
    """The organised event and the agenda item (None: the whole meeting); 404 otherwise."""
    event = organised_event_or_404(request.user, slug)
    entry = None if entry_pk is None else get_object_or_404(Entry, event=event, pk=entry_pk)
    return event, entry


def _edit_url(event, entry) -> str:
    if entry is None:
        return reverse("organisers:minutes_meeting", kwargs={"slug": event.slug})
    return reverse("organisers:minutes_entry", kwargs={"slug": event.slug, "entry": entry.pk})


def _history_url(event, entry) -> str:
    return _edit_url(event, entry) + "history/"


@login_required
@require_GET
def minutes_overview(request, slug):
    """The meeting and each agenda item, with whether it has minutes and how many revisions."""
    event = organised_event_or_404(request.user, slug)
    found = minutes_by_entry(event)
    agenda = agenda_for(event, with_materials=False)
    rows = [
        {"title": _("The whole meeting"), "minutes": found.get(None), "url": _edit_url(event, None)}
    ]
    rows += [
        {
            "title": entry.title,
            "entry": entry,
            "minutes": found.get(entry.pk),
            "url": _edit_url(event, entry),
        }
        for entry in agenda.entries
    ]
    return render(request, "organisers/minutes.html", {"event": event, "rows": rows})


def _edit_page(request, event, entry, form, *, conflict=None, status=200):
    minutes = minutes_of(event, entry)
    context = {
        "event": event,
        "entry": entry,
        "minutes": minutes,
        "form": form,
        "conflict": conflict,
        "conflict_rows": (
            diff_rows(conflict.newest.text, form.cleaned_data["text"]) if conflict else []
        ),
        "history_url": _history_url(event, entry),
    }
    return render(request, "organisers/minutes_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, slug, entry=None):
    event, entry = _target(request, slug, entry)
    if request.method == "GET":
        minutes = minutes_of(event, entry)
        initial = {
            "text": minutes.text if minutes else "",
            "base_revision": minutes.revision if minutes else 0,
        }
        return _edit_page(request, event, entry, MinutesForm(initial=initial))
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, event, entry, form, status=400)
    try:
        saved = save_minutes(
            event=event,
            entry=entry,
            text=form.cleaned_data["text"],
            base_revision=form.cleaned_data["base_revision"],
            by=request.user,
        )
    except MinutesConflict as conflict:
        # The form now starts from the newest revision: saving again keeps the merged text.
        data = request.POST.copy()
        data["base_revision"] = conflict.newest.number
        form = MinutesForm(data)
        form.is_valid()
        form.add_error(None, str(conflict))
        return _edit_page(request, event, entry, form, conflict=conflict, status=409)
    if saved is None:
        messages.info(request, _("The minutes were already like this."))
    else:
        messages.success(
            request, _("Minutes saved (revision %(number)s).") % {"number": saved.number}
        )
    return redirect(_edit_url(event, entry))


@login_required
@require_GET
def minutes_history(request, slug, entry=None):
    """Every revision; `?revision=N` shows what revision N changed from the one before."""
    event, entry = _target(request, slug, entry)
    minutes = minutes_of(event, entry)
    revisions = history(minutes) if minutes else []
    shown, rows = None, []
    if request.GET.get("revision"):
        try:
            number = int(request.GET["revision"])
        except ValueError as error:
            raise Http404("No such revision.") from error
        by_number = {revision.number: revision for revision in revisions}
        if number not in by_number:
            raise Http404("No such revision.")
        shown = by_number[number]
        before = by_number.get(number - 1)
        rows = diff_rows(before.text if before else "", shown.text)
    context = {
        "event": event,
        "entry": entry,
        "minutes": minutes,
        "revisions": revisions,
        "shown": shown,
        "rows": rows,
        "edit_url": _edit_url(event, entry),
        "history_url": _history_url(event, entry),
    }
    return render(request, "organisers/minutes_history.html", context)


@login_required
@require_POST
def minutes_restore(request, slug, number, entry=None):
    event, entry = _target(request, slug, entry)
    minutes = minutes_of(event, entry)
    if minutes is None:
        raise Http404("No minutes yet.")
    revision = get_object_or_404(MinutesRevision, minutes=minutes, number=number)
    form = RestoreRevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date; look at the history again."))
        return redirect(_history_url(event, entry))
    try:
        saved = restore_revision(
            revision=revision, base_revision=form.cleaned_data["base_revision"], by=request.user
        )
    except MinutesConflict as conflict:
        messages.error(
            request,
            _("%(conflict)s Nothing was restored; look again.") % {"conflict": conflict.summary},
        )
    except ValueError as error:
        messages.info(request, str(error))
    else:
        messages.success(
            request,
            _("Revision %(number)s is back, as revision %(new)s; nothing was lost.")
            % {"number": number, "new": saved.number},
        )
    return redirect(_history_url(event, entry))
