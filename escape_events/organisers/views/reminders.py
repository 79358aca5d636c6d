"""Reminders before an event, or before each meeting of a series: the plan, when each goes out,
how many went, and the mail as attendees get it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from escape_events.events.selectors import next_occurrences
from escape_events.registrations.models import Registration
from escape_events.registrations.reminders import (
    Reminder,
    describe_minutes,
    reminder_message,
    reminder_minutes_for,
    reminder_schedule,
    set_reminder_plan,
)

from ..forms import ReminderPlanForm
from ..permissions import organised_event_or_404, organised_series_or_404

Mode = Registration.Mode
Status = Registration.Status


def _plan_form(request, item):
    minutes = reminder_minutes_for(item)
    form = ReminderPlanForm(
        request.POST if request.method == "POST" else None, initial={"minutes_before": minutes}
    )
    return form, minutes


def _sample(event, user, mode) -> Registration:
    """An unsaved registration of the organiser, to show the mail as an attendee reads it."""
    return Registration(
        event=event, user=user, mode=mode, status=Status.CONFIRMED, check_in_code="EXAMPLE"
    )


def _saved(request, form, url: str, **target):
    """Store a valid posted plan and go back to the page; None shows the page (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    chosen = form.cleaned_data["minutes_before"]
    set_reminder_plan(minutes_before=chosen, **target)
    messages.success(request, f"Reminders: {describe_minutes(chosen)}.")
    return redirect(url)


def _page(request, form, context: dict):
    status = 400 if form.is_bound else 200  # a bound form here is one that did not validate
    return render(request, "organisers/reminders.html", {"form": form, **context}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_reminders(request, slug):
    event = organised_event_or_404(request.user, slug)
    form, minutes = _plan_form(request, event)
    url = reverse("organisers:reminders", kwargs={"slug": event.slug})
    if done := _saved(request, form, url, event=event):
        return done
    settings = getattr(event, "registration_settings", None)
    modes = [m for m in Mode if settings is None or settings.allows(m)]
    previews = [
        (
            mode.label,
            reminder_message(
                Reminder(
                    request.user, event, min(minutes or [60]), _sample(event, request.user, mode)
                )
            ).body,
        )
        for mode in modes
    ]
    context = {
        "event": event,
        "plan": describe_minutes(minutes),
        "schedule": reminder_schedule(event, minutes),
        "recipients": Registration.objects.filter(event=event, status=Status.CONFIRMED).count(),
        "previews": previews,
        "started": event.start <= timezone.now(),
    }
    return _page(request, form, context)


@login_required
@require_http_methods(["GET", "POST"])
def series_reminders(request, series_slug):
    series = organised_series_or_404(request.user, series_slug)
    form, minutes = _plan_form(request, series)
    url = reverse("organisers:series_reminders", kwargs={"series_slug": series.slug})
    if done := _saved(request, form, url, series=series):
        return done
    upcoming = [m for m in next_occurrences(series, 6) if not m.is_cancelled]
    meeting = upcoming[0] if upcoming else None
    previews = []
    if meeting is not None:
        sample = Reminder(request.user, meeting, min(minutes or [60]))
        previews = [("Follower", reminder_message(sample).body)]
    context = {
        "series": series,
        "plan": describe_minutes(minutes),
        "meeting": meeting,
        "schedule": reminder_schedule(meeting, minutes) if meeting else [],
        "recipients": series.followers.count(),
        "previews": previews,
    }
    return _page(request, form, context)
