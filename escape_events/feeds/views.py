"""Calendar downloads and subscribable feeds.

Feeds are fetched by calendar clients without cookies: these views never read the session or
`request.user` (so no `Vary: Cookie`), answer conditional GETs with 304, and keep built bodies
in the cache under their fingerprint. The personal feed is found by its secret token alone.

Languages: the personal feed is written in its owner's language (`User.preferred_language`),
whoever fetches it. Public feeds are written in the site's default language unless the client
asks for another with Accept-Language (never the language cookie: shared caches vary public
feeds on Accept-Language only, see CookieFreePublicFeedsMiddleware); the language is part of
every fingerprint, so bodies and ETags of two languages never mix.
"""

import hashlib
from datetime import UTC, date, datetime
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.utils.translation.trans_real import parse_accept_lang_header
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


def public_language(request) -> str:
    """The language a public feed is written in: the first of the client's Accept-Language
    that the site speaks, else the default."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def in_public_language(view):
    """Run a public feed view in `public_language`, and say so in Content-Language
    (LocaleMiddleware would name the language it chose, maybe from a cookie)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        language = public_language(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapped


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
        version,
        today=today,
        extra=repr((translation.get_language(), extra)),
        last_modified=last_modified,
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
    months = settings.FEEDS_PAST_MONTHS
    # Translators: what a calendar feed holds, after a colon ("Every public event …: <this>").
    return ngettext(
        "the last month and everything upcoming",
        "the last %(months)d months and everything upcoming",
        months,
    ) % {"months": months}


@require_safe
@in_public_language
def all_events(request):
    today = _today()
    since = selectors.window_start(today)
    info = CalendarInfo(
        name=_("ESCAPE events"),
        description=_("Every public event of the ESCAPE data-lake working group: %(window)s.")
        % {"window": _past_note()},
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
@in_public_language
def kind_feed(request, kind):
    if kind not in Kind.values:
        raise Http404(_("No such kind of event."))
    label = Kind(kind).label
    today = _today()
    since = selectors.window_start(today)
    info = CalendarInfo(
        name=_("ESCAPE events: %(kind)s") % {"kind": label},
        description=_("ESCAPE events of the kind “%(kind)s”: %(window)s.")
        % {"kind": label, "window": _past_note()},
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
@in_public_language
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
@in_public_language
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
@in_public_language
def timetable_feed(request, slug):
    """Every agenda entry of one event as its own calendar item (opt-in, for whole programmes)."""

    def render(event, today):
        info = CalendarInfo(
            name=_("%(title)s: timetable") % {"title": event.title},
            description=_("Every item of the timetable of %(title)s.") % {"title": event.title},
            url=_absolute(event.get_absolute_url()),
            source=_absolute(reverse("feeds:timetable", kwargs={"slug": slug})),
        )
        return render_timetable(info, agenda=agenda_for(event, reader=ANONYMOUS))

    return _event_response(
        request, slug=slug, key="timetable", filename=f"{slug}-timetable.ics", render=render
    )


_REGISTRATION_NOTES = {
    # Translators: in a personal calendar feed; %(mode)s is "on-site" or "remote".
    Registration.Status.CONFIRMED: gettext_lazy("Your registration is confirmed (%(mode)s)."),
    Registration.Status.WAITING: gettext_lazy("You are on the waiting list (%(mode)s)."),
    Registration.Status.PENDING: gettext_lazy("Your registration awaits approval (%(mode)s)."),
}


def _attendance(registration: Registration) -> Attendance:
    """What the registration means for the calendar: tentative until confirmed, link if remote."""
    confirmed = registration.status == Registration.Status.CONFIRMED
    note = _REGISTRATION_NOTES[registration.status] % {"mode": registration.get_mode_display()}
    return Attendance(
        tentative=not confirmed,
        note=note,
        remote_url=registration.event.online_url if registration.joins_remotely else "",
    )


def _owner(token: str):
    """The owner of a personal feed's token (only their id and language loaded), or None."""
    found = (
        FeedToken.objects.filter(token_hash=hash_token(token))
        .select_related("user")
        .only("user__id", "user__language")
        .first()
    )
    return found.user if found else None


@require_safe
def personal_feed(request, token):
    """The owner's registrations and followed series, in the owner's language."""
    owner = _owner(token)
    if owner is None:
        return _personal_feed(request, None)
    with translation.override(owner.preferred_language):
        response = _personal_feed(request, owner.pk)
    response["Content-Language"] = owner.preferred_language
    return response


def _personal_feed(request, user_id):
    limit = settings.FEEDS_RATE_LIMIT
    caller = f"user{user_id}" if user_id is not None else address_caller(request)
    if not within_limit("feed", caller, limit):
        return too_many(request, limit, what=_("calendar requests"))
    if user_id is None:
        raise Http404(_("No such feed."))
    today = _today()
    since = selectors.window_start(today)
    version = content_version.read()  # before the content
    content = selectors.personal_content(user_id=user_id, since=since)
    info = CalendarInfo(
        name=_("My ESCAPE events"),
        description=_("The events you registered for and the series you follow: %(window)s.")
        % {"window": _past_note()},
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
