"""Attendee pages: register from the event page, "My registrations", cancel, switch mode, the
ticket's QR code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from escape_events.core.redirects import redirect_to_next
from escape_events.events.models import Event, Series
from escape_events.events.selectors import colocated_pairs, prefetch_translations
from escape_events.organisers.printouts.certificates import refusal as certificate_refusal
from escape_events.registrations import services
from escape_events.registrations.checkin import ticket_qr_svg
from escape_events.registrations.forms import (
    EditRegistrationForm,
    ListingConsentForm,
    RegistrationForm,
    SwitchModeForm,
    WaitingLineForm,
)
from escape_events.registrations.models import Registration
from escape_events.registrations.selectors import (
    event_to_register,
    followed_series,
    form_panel,
    my_registrations,
    registration_for_editing,
    registration_panel,
)
from escape_events.surveys.selectors import surveys_awaiting

from ..wording import in_sentence
from .pages import render_event_page


def _event_page(request, event: Event, *, form=None, error: str = "", status: int = 400):
    """The event page again, with the form as submitted and what went wrong."""
    return render_event_page(request, event.slug, form=form, error=error, status=status)


@require_POST
@login_required
def register(request, slug):
    """Read the submission with what the form needs, and let the service decide under the lock;
    the whole registration box is built again only to show what went wrong."""
    event = event_to_register(slug)
    if event is None:
        raise Http404(_("No event has this address."))
    panel, holds = form_panel(event, request.user)
    if holds:
        return _already_registered(request, event)
    form = RegistrationForm(request.POST, panel=panel, user=request.user)
    if not form.is_valid():
        return _refused_or_invalid(request, event, form)
    form.save_names(request.user)
    try:
        results = services.register_together(user=request.user, requests=form.requests())
    except services.RegistrationRefused as refused:
        return _event_page(request, event, form=form, error=refused.message, status=refused.status)
    for registration, created in results:
        if created:
            messages.success(request, _outcome(registration))
    return redirect(event)


def _already_registered(request, event: Event):
    messages.info(request, _("You are already registered for this event."))
    return redirect(event)


def _refused_or_invalid(request, event: Event, form: RegistrationForm):
    """A submission the form rejected: the reason the person may not register, if there is
    one (with its status), else the form with its errors."""
    panel = registration_panel(event, request.user)
    if panel.registration:
        return _already_registered(request, event)
    if panel.refusal:
        return _event_page(request, event, error=panel.refusal.message, status=panel.refusal.status)
    return _event_page(request, event, form=form, error=_("Please check the form below."))


def _outcome(registration: Registration) -> str:
    """What the person is told after registering or switching, in the page's language."""
    names = {
        "title": registration.event.title,
        "mode": in_sentence(registration.get_mode_display()),
    }
    if registration.status == Registration.Status.WAITING:
        return (
            _(
                "%(title)s: %(mode)s is full, you are on the waiting list. "
                "We will write if a place opens."
            )
            % names
        )
    if registration.status == Registration.Status.PENDING:
        return _("%(title)s: registration received (%(mode)s); the organisers will approve it.") % (
            names
        )
    if registration.waiting_for_mode:
        names["waiting"] = in_sentence(registration.get_waiting_for_mode_display())
        return (
            _(
                "%(title)s: you are registered (%(mode)s). A confirmation is on its way. "
                "You stay on the %(waiting)s waiting list."
            )
            % names
        )
    return _("%(title)s: you are registered (%(mode)s). A confirmation is on its way.") % names


def _own_registration(request, pk) -> Registration:
    return get_object_or_404(Registration.objects.select_related("event"), pk=pk, user=request.user)


@require_POST
@login_required
def cancel(request, pk):
    registration = _own_registration(request, pk)
    try:
        services.cancel_registration(registration=registration, by=request.user)
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
        return _back_with_status(request, refused.status)
    messages.success(
        request,
        _("Your registration for %(title)s is cancelled.") % {"title": registration.event.title},
    )
    return redirect_to_next(request, "site:mine")


@require_POST
@login_required
def switch(request, pk):
    registration = _own_registration(request, pk)
    form = SwitchModeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This way of attending is not offered."))
        return _back_with_status(request, 400)
    try:
        registration = services.switch_mode(
            registration=registration,
            mode=form.cleaned_data["mode"],
            by=request.user,
            keep_waiting=form.cleaned_data["keep_waiting"],
        )
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
        return _back_with_status(request, refused.status)
    messages.success(request, _outcome(registration))
    return redirect_to_next(request, "site:mine")


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """Change one's answers and names until the modification deadline; after it, the page says
    whom to write to. The history shows every change, by the person or the organisers."""
    registration = registration_for_editing(pk, user=request.user)
    if registration is None:
        raise Http404(_("No registration of yours has this number."))
    event = registration.event
    settings = getattr(event, "registration_settings", None)
    until = services.modification_deadline(event=event, settings=settings)
    may_edit = registration.is_active and timezone.now() < until
    data = request.POST if request.method == "POST" else None
    form = EditRegistrationForm(data, registration=registration, questions=event.questions.all())
    status = 200
    if request.method == "POST":
        status = 409 if not may_edit else 400
        if may_edit and form.is_valid():
            if form.save(registration=registration, by=request.user):
                messages.success(
                    request,
                    _("Your registration for %(title)s is saved; a mail tells what changed.")
                    % {"title": event.localized_title}
                    if form.change
                    else _("Nothing was changed."),
                )
                return redirect("site:mine")
            status = form.refusal_status
        elif not may_edit:
            messages.error(request, _("Changes online are closed for this registration."))
    context = {
        "registration": registration,
        "event": event,
        "form": form,
        "may_edit": may_edit,
        "until": until,
        # The organisers' note and tags are theirs: a change of only those is not shown.
        "history": [change for change in registration.changes.all() if change.public_changes],
    }
    return render(request, "site/registration_edit.html", context, status=status)


WAITING_LINE_ACTIONS = {
    "leave": (
        lambda *, registration, mode, by: services.leave_waiting_line(
            registration=registration, by=by
        ),
        gettext_lazy("You left the %(line)s waiting list of %(title)s; you keep your place."),
    ),
    "join": (
        services.join_waiting_line,
        gettext_lazy(
            "You are on the %(line)s waiting list of %(title)s; you keep your place meanwhile."
        ),
    ),
}


@require_POST
@login_required
def waiting_line(request, pk, action):
    """Leave the other mode's waiting line keeping one's place, or join it from one's place."""
    registration = _own_registration(request, pk)
    form = WaitingLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This waiting list is not offered."))
        return _back_with_status(request, 400)
    service, done = WAITING_LINE_ACTIONS[action]
    mode = form.cleaned_data["mode"]
    try:
        service(registration=registration, mode=mode, by=request.user)
    except services.RegistrationRefused as refused:
        messages.error(request, refused.message)
        return _back_with_status(request, refused.status)
    line = in_sentence(Registration.Mode(mode).label)
    messages.success(request, done % {"line": line, "title": registration.event.title})
    return redirect_to_next(request, "site:mine")


@require_POST
@login_required
def listing_consent(request, pk):
    """Change, at any time, whether your name appears on the event's public participant list."""
    registration = _own_registration(request, pk)
    form = ListingConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say yes or no to showing your name in the list."))
        return _back_with_status(request, 400)
    consent = form.cleaned_data["consent"] == "yes"
    services.set_listing_consent(registration=registration, by=request.user, consent=consent)
    title = registration.event.title
    messages.success(
        request,
        (
            _("Your name is now shown in the participant list of %(title)s.")
            if consent
            else _("Your name is no longer shown in the participant list of %(title)s.")
        )
        % {"title": title},
    )
    return redirect("site:mine")


def _back_with_status(request, status: int):
    """A refused action shows "My registrations" with the message and a 4xx status."""
    return _my_registrations_page(request, status=status)


@require_GET
@login_required
def mine(request):
    return _my_registrations_page(request)


def _my_registrations_page(request, *, status: int = 200):
    registrations = my_registrations(request.user)
    active = [item for item in registrations if item.is_active]
    for item in registrations:
        item.overlaps = [
            other.event
            for other in active
            if other.pk != item.pk
            and item.is_active
            and other.event.start < item.event.end
            and other.event.end > item.event.start
        ]
    clashing = {item.event_id for item in registrations if item.overlaps}
    if clashing:  # events held alongside each other are attended together: no clash
        together = colocated_pairs(clashing)
        for item in registrations:
            item.overlaps = [
                other for other in item.overlaps if (item.event_id, other.pk) not in together
            ]
    for item in registrations:
        item.certificate_ready = (
            item.was_present
            and item.status == Registration.Status.CONFIRMED
            and not certificate_refusal(item.event)
        )
    followed = followed_series(request.user)
    surveys = surveys_awaiting(request.user, timezone.now())
    # Titles in the reader's language: one query per list outside the original language.
    prefetch_translations(registrations, "event__translations", "event__series__translations")
    prefetch_translations(followed)
    prefetch_translations(surveys, "event__translations", "event__series__translations")
    context = {
        "upcoming": [item for item in registrations if item.is_active],
        "inactive": [item for item in registrations if not item.is_active],
        "followed": followed,
        "surveys": surveys,
    }
    return render(request, "site/my_registrations.html", context, status=status)


@require_GET
@login_required
def ticket_qr(request, pk):
    """The ticket's QR code as SVG, for its owner (and the event's organisers)."""
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    if registration.user_id != request.user.pk and not services.is_organiser(
        event=registration.event, user=request.user
    ):
        raise Http404(_("No such ticket."))
    response = HttpResponse(ticket_qr_svg(registration), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


FOLLOWING = {
    "follow": (
        services.follow_series,
        gettext_lazy("You follow %(series)s: a reminder comes before each meeting."),
    ),
    "unfollow": (
        services.unfollow_series,
        gettext_lazy("You no longer follow %(series)s; no more reminders."),
    ),
}


@require_POST
@login_required
def following(request, slug, action):
    """Follow or unfollow a series (the URL says which), then back where the person was."""
    series = get_object_or_404(Series, slug=slug)
    service, done = FOLLOWING[action]
    service(series=series, user=request.user)
    messages.success(request, done % {"series": series.title})
    return redirect_to_next(request, series.get_absolute_url())
