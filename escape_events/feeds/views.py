"""Calendar downloads and subscribable feeds.

Feeds are fetched by calendar clients without cookies: these views never read the session or
`request.user` (so no `Vary: Cookie`), answer conditional GETs with 304, and keep built bodies
in the cache under their fingerprint. The personal feed is found by its secret token alone.
"""

import hashlib
from datetime import UTC, date, datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from escape_events.calendars.ics import (
    Attendance,
    CalendarInfo,
    render_calendar,
    render_timetable,
)
from escape_events.core import content_version
from escape_events.core.limits import address_caller, too_many, within_limit
from escape_events.core.tokens import hash_token
from escape_events.events.models import Event, Kind, Series
from escape_events.registrations.models import Registration
from escape_events.timetable.access import ANONYMOUS
from escape_events.timetable.selectors import agenda_for, agendas_for

from . import selectors
from .bodies import body_for
from .models import FeedToken
from .services import issue_feed_token, revoke_feed_token

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _today() -> date:
    return timezone.now().astimezone(UTC).date()


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _build(info: CalendarInfo, *, today: date, **content) -> bytes:
    return render_calendar(info, today=today, **content)


def _respond(request, *, etag, last_modified, filename, body, private=False):
    """A calendar response, or 304 when the client already holds this version.

    `body` gives the bytes; it is called only when the client does not hold them yet.
    """
    modified = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        response = HttpResponse(body(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    max_age = settings.FEEDS_MAX_AGE_SECONDS
    if private:
        patch_cache_control(response, private=True, max_age=max_age)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
    else:
        patch_cache_control(response, public=True, max_age=max_age)
    return response


def _respond_versioned(
    request, *, version, today, extra, filename, build, last_modified=None, private=False
):
    """A response whose body is built at most once per content version and kept (see
    `bodies`); `version` is read before the content (see content_version.read). Without one
    (a database whose versions were not started) the body is built and not kept."""
    if version is None:
        body = build()
        return _respond(
            request,
            etag=_body_etag(body),
            last_modified=last_modified,
            filename=filename,
            body=lambda: body,
            private=private,
        )
    fingerprint = selectors.fingerprint(
        version, today=today, extra=extra, last_modified=last_modified
    )
    return _respond(
        request,
        etag=f'"{fingerprint.digest}"',
        last_modified=fingerprint.last_modified,
        filename=filename,
        body=lambda: body_for(fingerprint.digest, build),
        private=private,
    )


def _scope_response(request, *, scope, info, key, filename, since, today, version):
    """A feed of many events, kept under `version`; `scope` makes the feed's querysets, only
    when the body must be built."""

    def build():
        current = scope()
        events, series = selectors.scope_content(current, since)
        agendas = selectors.scope_agendas(current, events, series)
        return _build(info, today=today, events=events, series=series, agendas=agendas)

    return _respond_versioned(
        request,
        version=version,
        today=today,
        extra=repr((key, since, info)),
        filename=filename,
        build=build,
    )


def _event_response(request, *, slug, key, filename, render):
    """A feed of one event, kept under the event's version: a kept or conditional request
    reads the event's id and its version, whatever its agenda."""
    event_id = get_object_or_404(Event.objects.values_list("pk", flat=True), slug=slug)
    version = content_version.read(event_ids=[event_id])
    today = _today()

    def build():
        event = get_object_or_404(Event.objects.select_related("venue", "series"), pk=event_id)
        return render(event, today)

    return _respond_versioned(
        request,
        version=version,
        today=today,
        extra=repr((key, event_id)),
        filename=filename,
        build=build,
    )


def _body_etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:40]}"'


def _past_note() -> str:
    return f"the last {settings.FEEDS_PAST_MONTHS} months and everything upcoming"


@require_safe
def all_events(request):
    today = _today()
    since = selectors.window_start(today)
    info = CalendarInfo(
        name="ESCAPE events",
        description=f"Every public event of the ESCAPE data-lake working group: {_past_note()}.",
        url=_absolute(reverse("site:home")),
        source=_absolute(reverse("feeds:all")),
    )
    return _scope_response(
        request,
        version=content_version.read(),
        scope=lambda: selectors.all_scope(since),
        info=info,
        key="all",
        filename="escape-events.ics",
        since=since,
        today=today,
    )


@require_safe
def kind_feed(request, kind):
    if kind not in Kind.values:
        raise Http404("No such kind of event.")
    label = Kind(kind).label
    today = _today()
    since = selectors.window_start(today)
    info = CalendarInfo(
        name=f"ESCAPE events: {label}",
        description=f"ESCAPE events of the kind “{label}”: {_past_note()}.",
        url=_absolute(reverse("site:home")),
        source=_absolute(reverse("feeds:kind", kwargs={"kind": kind})),
    )
    return _scope_response(
        request,
        version=content_version.read(),
        scope=lambda: selectors.kind_scope(kind, since),
        info=info,
        key=f"kind:{kind}",
        filename=f"escape-{kind}.ics",
        since=since,
        today=today,
    )


@require_safe
def series_feed(request, slug):
    series = get_object_or_404(Series, slug=slug)
    today = _today()
    info = CalendarInfo(
        name=series.title,
        description=series.summary,
        url=_absolute(series.get_absolute_url()),
        source=_absolute(reverse("feeds:series", kwargs={"slug": slug})),
    )
    # A series is one rule: its whole history ships, whatever the past window. Its version:
    # the series (a shared row) and its stored meetings.
    return _scope_response(
        request,
        version=content_version.read(event_ids=series.occurrences.all()),
        scope=lambda: selectors.series_scope(series),
        info=info,
        key=f"series:{series.pk}",
        filename=f"{slug}.ics",
        since=datetime.min.replace(tzinfo=UTC),
        today=today,
    )


@require_safe
def event_ics(request, slug):
    def render(event, today):
        info = CalendarInfo(
            name=event.title,
            description=event.summary,
            url=_absolute(event.get_absolute_url()),
            source=_absolute(reverse("feeds:event", kwargs={"slug": slug})),
        )
        return _build(info, today=today, events=[event], agendas=agendas_for([event]))

    return _event_response(request, slug=slug, key="event", filename=f"{slug}.ics", render=render)


@require_safe
def timetable_feed(request, slug):
    """Every agenda entry of one event as its own calendar item (opt-in, for whole programmes)."""

    def render(event, today):
        info = CalendarInfo(
            name=f"{event.title}: timetable",
            description=f"Every item of the timetable of {event.title}.",
            url=_absolute(event.get_absolute_url()),
            source=_absolute(reverse("feeds:timetable", kwargs={"slug": slug})),
        )
        return render_timetable(info, agenda=agenda_for(event, reader=ANONYMOUS))

    return _event_response(
        request, slug=slug, key="timetable", filename=f"{slug}-timetable.ics", render=render
    )


_REGISTRATION_NOTES = {
    Registration.Status.CONFIRMED: "Your registration is confirmed",
    Registration.Status.WAITING: "You are on the waiting list",
    Registration.Status.PENDING: "Your registration awaits approval",
}


def _attendance(registration: Registration) -> Attendance:
    """What the registration means for the calendar: tentative until confirmed, link if remote."""
    confirmed = registration.status == Registration.Status.CONFIRMED
    note = f"{_REGISTRATION_NOTES[registration.status]} ({registration.get_mode_display()})."
    return Attendance(
        tentative=not confirmed,
        note=note,
        remote_url=registration.event.online_url if registration.joins_remotely else "",
    )


@require_safe
def personal_feed(request, token):
    user_id = (
        FeedToken.objects.filter(token_hash=hash_token(token)).values_list("user_id", flat=True)
    ).first()
    limit = settings.FEEDS_RATE_LIMIT
    caller = f"user{user_id}" if user_id is not None else address_caller(request)
    if not within_limit("feed", caller, limit):
        return too_many(request, limit, what="calendar requests")
    if user_id is None:
        raise Http404("No such feed.")
    today = _today()
    since = selectors.window_start(today)
    version = content_version.read()  # before the content
    content = selectors.personal_content(user_id=user_id, since=since)
    info = CalendarInfo(
        name="My ESCAPE events",
        description=f"The events you registered for and the series you follow: {_past_note()}.",
        url=_absolute(reverse("site:home")),
    )

    def build():
        registrations = content.registrations
        events = [registration.event for registration in registrations]
        series, meetings = selectors.followed_content(content, since)
        return _build(
            info,
            today=today,
            events=events,
            series=series,
            agendas=agendas_for([*events, *meetings]),
            attendance={
                registration.event_id: _attendance(registration) for registration in registrations
            },
        )

    return _respond_versioned(
        request,
        version=version,
        today=today,
        extra=repr(("personal", user_id, since, content.key, info)),
        last_modified=content.last_modified,
        filename="my-escape-events.ics",
        build=build,
        private=True,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def personal_feed_settings(request):
    """Create, regenerate or revoke the secret link; the link is shown once, right after."""
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            revoke_feed_token(user=request.user)
        else:
            token = issue_feed_token(user=request.user)
    context = {
        "has_feed": FeedToken.objects.filter(user=request.user).exists(),
        "feed_path": reverse("feeds:personal", kwargs={"token": token}) if token else "",
        "revoked": request.method == "POST" and token is None,
    }
    return render(request, "feeds/personal.html", context)
