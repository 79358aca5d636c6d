"""Public pages: listings, event, series and occurrence (meeting) pages, attachments."""

from datetime import date, datetime, timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from escape_events.events.attachments import file_response
from escape_events.events.forms import EventFilterForm
from escape_events.events.models import Attachment, Series
from escape_events.events.selectors import (
    OCCURRENCE_YEARS,
    listed_events,
    next_occurrences,
    occurrences_between,
    search_events,
    standalone_events,
    upcoming_matches,
    with_translations,
)
from escape_events.registrations.readers import reader_for

from ..caching import event_page_cache
from ..selectors import event_for_page

UPCOMING_WINDOW = timedelta(weeks=8)


def _filtered(request, queryset):
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, queryset.none(), 400
    data = form.cleaned_data if form.is_bound else {}
    return form, search_events(queryset, kind=data.get("kind", ""), text=data.get("q", "")), 200


@require_safe
def home(request):
    """Upcoming events beside the next meetings; a search or a kind finds both at once."""
    now = timezone.now()
    form = EventFilterForm(request.GET or None)
    if form.is_bound:
        if not form.is_valid():
            context = {"form": form, "events": [], "filtering": True}
            return render(request, "site/home.html", context, status=400)
        data = form.cleaned_data
        found = upcoming_matches(
            now=now, until=now + UPCOMING_WINDOW, kind=data["kind"], text=data["q"]
        )
        return render(request, "site/home.html", {"form": form, "events": found, "filtering": True})
    context = {
        "form": form,
        "events": standalone_events().upcoming(now)[:50],
        "occurrences": occurrences_between(now, now + UPCOMING_WINDOW)[:8],
        "filtering": False,
        "series_list": with_translations(Series.objects.filter(is_listed=True)),
    }
    return render(request, "site/home.html", context)


@require_safe
def past_events(request):
    form, events, status = _filtered(request, listed_events().past())
    context = {"form": form, "events": events[:200]}
    return render(request, "site/past.html", context, status=status)


@require_safe
def event_detail(request, slug):
    return render_event_page(request, slug)


def render_event_page(request, slug: str, *, form=None, error: str = "", status: int = 200):
    """The event page; after a refused registration, with the form as submitted and what went
    wrong. What it shows of the event is cached (`{% cache %}` in the template) under the event's
    version, read in the event's own statement; the person's own parts (registration box, menu,
    "Manage this event") are rendered for each request."""
    event = event_for_page(slug)
    if event is None:
        raise Http404(_("No event has this address."))
    context = {
        "event": event,
        "page_cache": event_page_cache(event),
        "reader": reader_for(request.user, event),
        "registration_form": form,
        "registration_error": error,
    }
    return render(request, "site/event_detail.html", context, status=status)


@require_safe
def series_detail(request, slug):
    series = get_object_or_404(Series.objects.select_related("venue"), slug=slug)
    now = timezone.now()
    upcoming = next_occurrences(series, 10, now)
    past_meetings = (
        series.occurrences.filter(start__lt=now)
        .order_by("-start")
        .prefetch_related("attachments")[:20]
    )
    context = {"series": series, "upcoming": upcoming, "past_meetings": past_meetings}
    return render(request, "site/series_detail.html", context)


@require_safe
def occurrence_detail(request, slug, day):
    series = get_object_or_404(Series.objects.select_related("venue"), slug=slug)
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        raise Http404(_("Not a date.")) from None
    if wanted.year not in OCCURRENCE_YEARS:
        raise Http404(_("This series has no meeting on that day."))
    after = datetime.combine(wanted, datetime.min.time(), series.zone)
    matches = [
        occ
        for occ in occurrences_between(after, after + timedelta(days=1), [series])
        if occ.recurrence_id.astimezone(series.zone).date() == wanted
    ]
    if not matches:
        raise Http404(_("This series has no meeting on that day."))
    occurrence = matches[0]
    if occurrence.override:
        return redirect(occurrence.override)
    return render(
        request, "site/occurrence_detail.html", {"series": series, "occurrence": occurrence}
    )


@require_safe
def attachment(request, slug, pk):
    item = get_object_or_404(Attachment.objects.select_related("event"), pk=pk, event__slug=slug)
    return file_response(item.file, content_type=item.content_type)
