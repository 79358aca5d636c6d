"""One registration as its organisers see it: answers, names, mode, a private note and tags,
changed through the same services as the person's own page, with the history of changes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from escape_events.registrations import services
from escape_events.registrations.forms import EditRegistrationForm, SwitchModeForm
from escape_events.registrations.selectors import registration_for_editing

from ..permissions import organised_event_or_404


@login_required
@require_http_methods(["GET", "POST"])
def registration_page(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    registration = registration_for_editing(pk, event=event)
    if registration is None or registration.user_id is None:
        raise Http404("No registration of this event has this number.")
    questions = event.questions.all()
    form = EditRegistrationForm(
        request.POST if request.method == "POST" else None,
        registration=registration,
        questions=questions,
        organiser=True,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            if form.save(registration=registration, by=request.user):
                messages.success(
                    request,
                    _("Saved; the person is told what changed.")
                    if form.change
                    else _("No change."),
                )
                return redirect("organisers:registration", slug=event.slug, pk=registration.pk)
            status = form.refusal_status
    context = {
        "event": event,
        "registration": registration,
        "form": form,
        "other_mode": _other_mode(registration),
        "history": registration.changes.all(),
    }
    return render(request, "organisers/registration.html", context, status=status)


def _other_mode(registration) -> str:
    """The mode an organiser may move this person to (when the event offers it)."""
    settings = getattr(registration.event, "registration_settings", None)
    if settings is None or not registration.is_active:
        return ""
    Mode = registration.Mode
    other = Mode.REMOTE if registration.mode == Mode.ONSITE else Mode.ONSITE
    return other if settings.allows(other) else ""


@login_required
@require_http_methods(["POST"])
def registration_mode(request, slug, pk):
    """Move the person to the other mode (when it has room), as they could themselves."""
    event = organised_event_or_404(request.user, slug)
    registration = registration_for_editing(pk, event=event)
    if registration is None or registration.user_id is None:
        raise Http404("No registration of this event has this number.")
    form = SwitchModeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This way of attending is not offered."))
    else:
        try:
            services.switch_mode(
                registration=registration, mode=form.cleaned_data["mode"], by=request.user
            )
        except services.RegistrationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Moved; the person is told."))
    return redirect("organisers:registration", slug=event.slug, pk=registration.pk)
