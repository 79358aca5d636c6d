"""Organiser pages for a meeting series: creating and editing it, its organisers, its
meetings, and adding, cancelling, moving, restoring or opening one of them. A meeting gets
its own Event row only when one of these asks for it."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from escape_events.events.models import Series
from escape_events.events.selectors import Occurrence, find_occurrence
from escape_events.events.services import (
    add_extra_meeting,
    cancel_occurrence,
    create_series,
    materialise_occurrence,
    move_occurrence,
    restore_occurrence,
    update_series,
)
from escape_events.events.when import describe_moment

from .. import selectors
from ..forms import (
    ExtraMeetingForm,
    MoveMeetingForm,
    SeriesForm,
    extra_meeting_initial,
)
from ..permissions import can_create_events, organised_series_or_404
from .events import organiser_removal, organisers_page, venue_from


def _day(moment: datetime, series: Series) -> str:
    return describe_moment(moment, series.time_zone)


def _meeting_or_404(series: Series, recurrence_id: datetime) -> Occurrence:
    """Only a real meeting of the series: a hand-made address stores nothing."""
    meeting = find_occurrence(series, recurrence_id)
    if meeting is None:
        raise Http404(f"“{series.title}” has no meeting on {_day(recurrence_id, series)}.")
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request):
    if not can_create_events(request.user):
        raise PermissionDenied(
            _(
                "Creating series needs the right to create events: ask the site staff. "
                "You can still run the series you were made an organiser of."
            )
        )
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # a refused series leaves no new venue behind
                series = create_series(
                    values=form.series_values(venue_from(form)), organisers=[request.user]
                )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("“%(title)s” is created: %(schedule)s.")
                % {"title": series.title, "schedule": series.describe_schedule()},
            )
            return redirect("organisers:series_meetings", series_slug=series.slug)
    status = 400 if form.is_bound else 200
    return render(request, "organisers/series_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request, series_slug):
    series = organised_series_or_404(request.user, series_slug)
    form = SeriesForm(request.POST or None, series=series)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                changed = update_series(series=series, values=form.series_values(venue_from(form)))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            note = "Saved."
            if changed:
                note += (
                    " Calendars pick up the change; anyone registered for an upcoming meeting "
                    "is told by e-mail."
                )
            messages.success(request, note)
            return redirect("organisers:series_meetings", series_slug=series.slug)
    context = {"series": series, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "organisers/series_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request, series_slug):
    """An extra meeting outside the rule (a kick-off, a catch-up after a holiday)."""
    series = organised_series_or_404(request.user, series_slug)
    form = ExtraMeetingForm(
        request.POST or None, series=series, initial=extra_meeting_initial(series, timezone.now())
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = add_extra_meeting(
                series=series, start=data["start"], end=data["end"], venue=data["venue"]
            )
        except ValidationError as error:
            form.add_error("start", error.messages)
        else:
            messages.success(
                request,
                _("Added an extra meeting on %(day)s.") % {"day": _day(meeting.start, series)},
            )
            return redirect("organisers:series_meetings", series_slug=series.slug)
    status = 400 if form.is_bound else 200
    context = {"series": series, "form": form}
    return render(request, "organisers/meeting_add.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def series_organisers(request, series_slug):
    series = organised_series_or_404(request.user, series_slug)
    back = reverse("organisers:series_organisers", kwargs={"series_slug": series.slug})
    return organisers_page(request, of=series, back=back, context={"series": series})


@login_required
@require_POST
def series_organiser_remove(request, series_slug, user_id):
    series = organised_series_or_404(request.user, series_slug)
    back = reverse("organisers:series_organisers", kwargs={"series_slug": series.slug})
    return organiser_removal(request, of=series, user_id=user_id, back=back)


@login_required
@require_GET
def series_meetings(request, series_slug):
    series = organised_series_or_404(request.user, series_slug)
    meetings = selectors.series_meetings(series, timezone.now())
    context = {
        "series": series,
        "upcoming": meetings.upcoming,
        "past": meetings.past,
        "with_minutes": meetings.with_minutes,
    }
    return render(request, "organisers/series_meetings.html", context)


@login_required
@require_POST
def meeting_cancel(request, series_slug, recurrence_id):
    series = organised_series_or_404(request.user, series_slug)
    meeting = _meeting_or_404(series, recurrence_id)
    day = _day(meeting.start, series)
    if cancel_occurrence(series=series, recurrence_id=recurrence_id):
        messages.success(
            request,
            _("The meeting on %(day)s is cancelled; anyone registered is told by e-mail.")
            % {"day": day},
        )
    else:
        messages.info(request, _("The meeting on %(day)s was already cancelled.") % {"day": day})
    return redirect("organisers:series_meetings", series_slug=series.slug)


@login_required
@require_POST
def meeting_restore(request, series_slug, recurrence_id):
    series = organised_series_or_404(request.user, series_slug)
    meeting = _meeting_or_404(series, recurrence_id)
    day = _day(meeting.start, series)
    if restore_occurrence(series=series, recurrence_id=recurrence_id):
        messages.success(request, _("The meeting on %(day)s takes place again.") % {"day": day})
    else:
        messages.info(request, _("The meeting on %(day)s was not cancelled.") % {"day": day})
    return redirect("organisers:series_meetings", series_slug=series.slug)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_move(request, series_slug, recurrence_id):
    series = organised_series_or_404(request.user, series_slug)
    meeting = _meeting_or_404(series, recurrence_id)
    form = MoveMeetingForm(request.POST or None, series=series, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = move_occurrence(
                series=series,
                recurrence_id=recurrence_id,
                start=data["start"],
                end=data["end"],
                venue=data["venue"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if changed:
                note = _(
                    "The meeting of %(old)s is now on %(new)s; anyone registered is told by e-mail."
                ) % {"old": _day(recurrence_id, series), "new": _day(data["start"], series)}
                messages.success(request, note)
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("organisers:series_meetings", series_slug=series.slug)
    context = {"series": series, "meeting": meeting, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "organisers/meeting_move.html", context, status=status)


@login_required
@require_POST
def meeting_open(request, series_slug, recurrence_id):
    """Give the meeting its own row, so minutes, attendance and registration can be added."""
    series = organised_series_or_404(request.user, series_slug)
    _meeting_or_404(series, recurrence_id)
    event = materialise_occurrence(series=series, recurrence_id=recurrence_id)
    return redirect("organisers:event_overview", slug=event.slug)
