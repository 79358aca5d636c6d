"""Reminders before an event, or before each meeting of a series: the plan, when each goes out,
how many went, and the mail as attendees get it."""

from datetime import timedelta

from babel.lists import format_list
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from escape_events.events.selectors import next_occurrences
from escape_events.registrations.models import Registration, ReminderPlan
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
    own = ReminderPlan.objects.filter(**{item._meta.model_name: item}).first()
    initial = {"minutes_before": minutes}
    if own is not None:
        initial.update(
            note=own.note,
            include_agenda=own.include_agenda,
            include_calendar=own.include_calendar,
        )
    form = ReminderPlanForm(request.POST if request.method == "POST" else None, initial=initial)
    return form, minutes


def _sample(event, user, mode) -> Registration:
    """An unsaved registration of the organiser, to show the mail as an attendee reads it."""
    return Registration(
        event=event, user=user, mode=mode, status=Status.CONFIRMED, check_in_code="EXAMPLE"
    )


def _as_sent(reminder: Reminder):
    """The reminder as it reads when it goes out ("begins today at 14:00"), not as of now."""
    return reminder_message(
        reminder, now=reminder.item.start - timedelta(minutes=reminder.minutes_before)
    )


def _saved(request, form, url: str, samples, **target):
    """Store a valid posted plan and go back to the page; None shows the page (again). With
    "send a test to me", the reminders as attendees will get them go to the organiser first."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    chosen = data["minutes_before"]
    set_reminder_plan(
        minutes_before=chosen,
        note=data["note"],
        include_agenda=data["include_agenda"],
        include_calendar=data["include_calendar"],
        **target,
    )
    messages.success(request, _("Reminders: %(plan)s.") % {"plan": describe_minutes(chosen)})
    if "test" in request.POST:
        tests = samples(reminder_minutes_for(next(iter(target.values()))))
        for _label, reminder in tests:
            test_mail = _as_sent(reminder)
            # Translators: a test mail's subject, e.g. "[Test] Reminder: ESCAPE school".
            test_mail.subject = _("[Test] %(subject)s") % {"subject": test_mail.subject}
            test_mail.send()
        if tests:
            messages.info(
                request,
                ngettext(
                    "%(count)d test mail sent to %(address)s, as %(kinds)s attendees get it.",
                    "%(count)d test mails sent to %(address)s, as %(kinds)s attendees get them.",
                    len(tests),
                )
                % {
                    "count": len(tests),
                    "address": request.user.email,
                    "kinds": format_list(
                        [str(label).lower() for label, _reminder in tests],
                        locale=translation.to_locale(translation.get_language() or "en"),
                    ),
                },
            )
        else:
            messages.warning(request, _("No test sent: there is no upcoming meeting to remind of."))
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
    settings = getattr(event, "registration_settings", None)
    modes = [m for m in Mode if settings is None or settings.allows(m)]

    def samples(plan_minutes):
        """The last reminder of the plan, once per mode, as the organiser would get it."""
        first = min(plan_minutes or [60])
        return [
            (mode.label, Reminder(request.user, event, first, _sample(event, request.user, mode)))
            for mode in modes
        ]

    if done := _saved(request, form, url, samples, event=event):
        return done
    previews = [(label, _as_sent(sample).body) for label, sample in samples(minutes)]
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
    upcoming = [m for m in next_occurrences(series, 6) if not m.is_cancelled]
    meeting = upcoming[0] if upcoming else None

    def samples(plan_minutes):
        if meeting is None:
            return []
        return [("Follower", Reminder(request.user, meeting, min(plan_minutes or [60])))]

    if done := _saved(request, form, url, samples, series=series):
        return done
    previews = [(label, _as_sent(sample).body) for label, sample in samples(minutes)]
    context = {
        "series": series,
        "plan": describe_minutes(minutes),
        "meeting": meeting,
        "schedule": reminder_schedule(meeting, minutes) if meeting else [],
        "recipients": series.followers.count(),
        "previews": previews,
    }
    return _page(request, form, context)
