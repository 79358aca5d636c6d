"""Calendar downloads and subscribable feeds."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from escape_events.calendars.ics import build_calendar
from escape_events.events.models import Event, Series


def _ics(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def all_events(request):
    return _ics(build_calendar(Event.objects.listed(), name="ESCAPE events"))


def series_feed(request, slug):
    series = get_object_or_404(Series, slug=slug)
    return _ics(build_calendar(series.occurrences.all(), name=series.title))


def event_ics(request, slug):
    event = get_object_or_404(Event, slug=slug)
    return _ics(build_calendar([event], name=event.title))
